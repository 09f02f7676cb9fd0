package dev.nabla.cli;

import dev.nabla.data.ImageAugmentation;
import dev.nabla.distributed.Collective;
import dev.nabla.data.LoadedData;
import dev.nabla.data.Preprocessing;
import dev.nabla.data.Task;
import dev.nabla.loss.Losses;
import dev.nabla.metrics.Accuracy;
import dev.nabla.metrics.MeanAbsoluteErrorMetric;
import dev.nabla.metrics.Metric;
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizers;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import dev.nabla.text.Tokenizer;
import dev.nabla.train.Callback;
import dev.nabla.train.FitOptions;
import dev.nabla.train.History;
import dev.nabla.train.Model;
import dev.nabla.train.ProgressReporter;
import dev.nabla.train.SampleWeights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training run behind {@code nabla train} and {@code nabla demo}: check the settings, load and split the data,
 * build the network from {@code --arch} and the task with the data's preprocessing inside (see
 * {@link ModelPreprocessing}; or load the {@code --model} to continue), fit with a progress display, evaluate on the
 * test data, then (only when everything worked) save the model and write the plot.
 */
final class Training {

    /**
     * Everything a run needs; nulls mean "the default" ({@code arch}: the {@code --arch} value; {@code resume}: the
     * {@code --model} file to continue; {@code dataName}: what to call the data, default its path); {@code stream}:
     * {@code --stream}, read the data batch by batch even when it would fit in memory.
     */
    record Settings(Path data, Path test, String label, String arch, String resume, String loss, String optimizer,
                    Double learningRate, int epochs, int batchSize, double validationSplit, long seed, int[] imageSizeWH,
                    String augment, Path out, Path plot, String dataName, boolean json, TextOptions text,
                    TableOptions table, boolean stream) {

        /** A new model (no {@code --model} to continue). */
        Settings(Path data, Path test, String label, String arch, String loss, String optimizer, Double learningRate,
                 int epochs, int batchSize, double validationSplit, long seed, int[] imageSizeWH, String augment,
                 Path out, Path plot, String dataName, boolean json) {
            this(data, test, label, arch, null, loss, optimizer, learningRate, epochs, batchSize, validationSplit, seed,
                    imageSizeWH, augment, out, plot, dataName, json, TextOptions.NONE, TableOptions.NONE, false);
        }
    }

    /**
     * What a run produced; {@code arch} is what {@code --arch} took (null when unknown), {@code architecture} its file
     * form, {@code continuedFrom} the {@code --model} file continued, or null.
     */
    record Result(Model model, Preprocessing preprocessing, Module network, String arch, Map<String, Object> architecture,
                  Path continuedFrom, String lossName, History history, Map<String, Double> test, int testSamples,
                  int trainSamples, int validationSamples, double seconds, double samplesPerSecond, Path out, Path plot,
                  int keptEpoch, String streaming) {

        Task task() {
            return preprocessing.task();
        }

        /** The second metric of the history: accuracy for classification, MAE for regression. */
        String metric() {
            return task() == Task.CLASSIFICATION ? "accuracy" : "mae";
        }
    }

    /** The command-line names of the losses. */
    static final List<String> LOSSES = List.of("cross-entropy", "binary-cross-entropy", "mse", "mae", "huber");
    static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "adam", "adamw", "rmsprop", "adagrad");

    private Training() {
    }

    static Result run(Settings s, Io io) throws IOException {
        return run(s, TrainingControlOptions.NONE, io);
    }

    /** A run with the training-control flags ({@link TrainingControl}); Ctrl-C saves the model so far. */
    static Result run(Settings s, TrainingControlOptions controlOptions, Io io) throws IOException {
        return run(s, controlOptions, List.of(), RunMonitor.NONE, null, io);
    }

    /**
     * As above, with {@code watchers}: callbacks that only look on (TensorBoard's events), added to the model's fit;
     * the run recorded and shown as {@code monitor} says ({@code --run-dir}, {@code --dashboard}); and as one rank of
     * data-parallel training ({@code --workers}; null: alone): fit averages gradients through {@code collective},
     * and only rank 0 writes files (the model, checkpoints, the plot).
     */
    static Result run(Settings s, TrainingControlOptions controlOptions, List<Callback> watchers, RunMonitor monitor,
                      Collective collective, Io io) throws IOException {
        try (Interruption interruption = Interruption.install()) {
            return run(s, controlOptions, watchers, monitor, collective, interruption, io);
        }
    }

    private static Result run(Settings s, TrainingControlOptions controlOptions, List<Callback> watchers, RunMonitor monitor,
                              Collective collective, Interruption interruption, Io io) throws IOException {
        boolean writes = collective == null || collective.rank() == 0;
        // 1. settings that can be checked without the data: fail before any loading or training
        String lossName = s.loss() == null ? null : lossName(s.loss());
        String optimizer = s.optimizer() == null ? null : s.optimizer().trim().toLowerCase(Locale.ROOT);
        if (optimizer != null && !OPTIMIZERS.contains(optimizer)) {
            throw new UsageException("--optimizer: unknown optimizer '" + s.optimizer() + "' (known: " + String.join(", ", OPTIMIZERS) + ")");
        }
        Double lrGiven = s.learningRate();
        if (lrGiven != null && (!(lrGiven > 0) || Double.isInfinite(lrGiven))) {
            throw new UsageException("--lr: the learning rate must be a positive number, got " + lrGiven);
        }
        if (s.epochs() < 1) throw new UsageException("--epochs: must be at least 1, got " + s.epochs());
        if (s.batchSize() < 1) throw new UsageException("--batch-size: must be at least 1, got " + s.batchSize());
        if (!(s.validationSplit() >= 0 && s.validationSplit() < 1)) {
            throw new UsageException("--val-split: must be in [0, 1), e.g. 0.1, got " + s.validationSplit());
        }
        Plotter.Format plotFormat = s.plot() == null ? null : Plotter.format(s.plot(), "--plot");
        Path resume = s.resume() == null ? null : Continuation.file(s.resume());
        if (resume != null && s.arch() != null) {
            throw new UsageException("--arch: not with --model " + resume + ", whose architecture is saved in it; give --arch to "
                    + "train a new model, --model to continue one");
        }
        TrainingOutputs.check(s, resume);
        TrainingControl control = TrainingControl.check(controlOptions, resume);
        if (resume != null && s.text().anyFlag() != null) {
            throw new UsageException(s.text().anyFlag() + ": not with --model " + resume + ", which keeps the text column and tokenizer it"
                    + " was trained with; leave it out");
        }
        Tokenizer.Options tokenizerOptions = s.text().options();
        TableOptions table = s.table();
        table.check();
        if (resume != null && table.newModelOnlyFlag() != null) {
            throw new UsageException(table.newModelOnlyFlag() + ": not with --model " + resume + ", which keeps the columns and task"
                    + " it was trained with; leave it out");
        }
        ArchSpec userArch = s.arch() == null ? null : ArchSpec.parse(s.arch());
        ImageAugmentation augmentation = AugmentSpec.parse(s.augment());

        // 2. the model to continue, then the data (read as that model was trained, or with preprocessing fitted now)
        Continuation continued = resume == null ? null : Continuation.load(resume);
        if (continued != null) {
            continued.checkFlags(lossName, optimizer, s.imageSizeWH());
            continued.checkLabel(s.label());
            lossName = continued.lossName();
        }
        Task lossTask = lossName == null ? null : isRegressionLoss(lossName) ? Task.REGRESSION : Task.CLASSIFICATION;
        Task forcedTask = TaskReasons.forced(table.task(), lossTask, s.loss());
        DataAccess.Streaming streaming = new DataAccess.Streaming(s.stream(), s.batchSize());
        TrainingData data = continued != null
                ? continued.loadData(s.data(), s.test(), s.validationSplit(), s.seed(), table.format(), streaming)
                : DataAccess.loadTraining(s.data(), s.test(), s.label(), s.imageSizeWH(), forcedTask, s.validationSplit(), s.seed(),
                        s.text(), table, streaming);
        Preprocessing p = data.preprocessing().withTaskReason(TaskReasons.reason(data.preprocessing(), table.task(),
                continued != null ? null : lossTask, s.loss(), resume));
        boolean images = p.imageShape() != null;
        boolean texts = DataAccess.isText(p);
        String kindOfData = images ? "a labelled image set" : texts ? "a labelled text set" : "a " + p.task().id() + " table";
        if (!texts && s.text().anyFlag() != null) {
            throw new UsageException(s.text().anyFlag() + ": only for text data (class folders of .txt files, or a CSV file with"
                    + " --text-column), but " + s.data() + " is " + kindOfData);
        }
        if (texts && s.imageSizeWH() != null) throw new UsageException("--image-size: only for images, but " + s.data() + " is " + kindOfData);
        if (!p.kind().equals("table") && table.tableOnlyFlag() != null) {
            throw new UsageException(table.tableOnlyFlag() + ": only for CSV tables, but " + s.data() + " is " + kindOfData);
        }
        if (forcedTask != null && p.task() != forcedTask) {
            throw new UsageException("--loss " + s.loss() + " needs " + (forcedTask == Task.REGRESSION ? "a number to predict" : "classes")
                    + ", but " + s.data() + " is " + kindOfData + (images || texts ? " (classification)" : ""));
        }
        if (lossName == null) lossName = p.task() == Task.REGRESSION ? "mse" : "cross-entropy";
        if (lossName.equals("binary-cross-entropy") && p.numClasses() != 2) {
            throw new UsageException("--loss binary-cross-entropy needs exactly 2 classes, but " + s.data() + " has "
                    + p.numClasses() + " (" + preview(p.classes()) + "); use --loss cross-entropy");
        }
        if (augmentation != null && !images) {
            throw new UsageException("--augment: only images can be augmented, but " + s.data() + " is " + kindOfData);
        }

        // 3. network, loss, optimizer, metrics
        int outputs = p.task() == Task.REGRESSION || lossName.equals("binary-cross-entropy") ? 1 : p.numClasses();
        int[] sample = data.sampleShape();
        Tokenizer tokenizer = data.tokenizer();
        String described = s.data() + " (" + (images ? "images of shape " + Shape.str(sample)
                : texts ? "texts of " + sample[0] + " token ids" : "a table of " + sample[0] + " features") + ")";
        // the model scales its target, so the MAE of the history is in the target's units
        Metric metric = p.task() == Task.CLASSIFICATION
                ? new Accuracy(lossName.equals("binary-cross-entropy"))
                : new MeanAbsoluteErrorMetric();
        Model model;
        TextDefaults.Choice textDefault = null;
        String archText;
        Map<String, Object> architecture;
        if (continued == null) {
            textDefault = texts && userArch == null ? TextDefaults.choose(data.trainSize(), tokenizer.maxLength()) : null;
            ArchSpec arch = texts ? (userArch != null ? userArch.forText(tokenizer.vocabularySize()) : ArchSpec.defaultForText(tokenizer.vocabularySize(), textDefault))
                    : userArch != null ? userArch : ArchSpec.defaultFor(images, sample);
            ArchSpec.Built built = arch.build(sample, outputs, s.seed(), described);
            if (texts) TextArchitecture.checkVocabulary(built.network(), tokenizer.vocabularySize());
            archText = arch.text();
            architecture = built.architecture();
            if (optimizer == null) optimizer = "adam";
            double lr = lrGiven != null ? lrGiven : Optimizers.defaultLearningRate(optimizer);
            model = newModel(built, data, sample, control, optimizer, lr, lossName, metric);
        } else {
            continued.checkFits(sample, outputs, described);
            archText = continued.archText();
            architecture = continued.architecture();
            if (continued.optimizerName() != null) optimizer = continued.optimizerName();
            continued.compile(metric, optimizer, lrGiven);
            model = continued.model();
            if (optimizer == null) optimizer = "adam";
        }
        Module network = model.network();
        double lr = model.optimizer() != null ? model.optimizer().learningRate()
                : lrGiven != null ? lrGiven : Optimizers.defaultLearningRate(optimizer);

        int trainSamples = data.trainSize();
        int validationSamples = data.validationSize();
        int epochs = control.epochs(s.epochs(), p.task(), !images && !texts, trainSamples, data.hasValidation());
        FitOptions fit = new FitOptions().epochs(epochs).batchSize(s.batchSize()).seed(s.seed())
                .callbacks(new ProgressReporter(io.err(), io.liveProgress()), interruption).collective(collective);
        fit.callbacks(watchers.toArray(Callback[]::new));
        data.addValidation(fit);
        // streamed batches are decoded whole: validation and test batches sized to the heap keep memory bounded
        int evaluationBatch = data.streaming() != null ? StreamedData.evaluationBatch(sample, s.batchSize()) : Evaluation.BATCH_SIZE;
        if (data.streaming() != null) fit.validationBatchSize(evaluationBatch);
        if (augmentation != null) fit.trainTransform(augmentation);
        if (data.streaming() != null && s.table().classWeight != null) {
            throw new UsageException("--class-weight: not with streamed data yet (" + s.data() + " is streamed); leave it out"
                    + " or give the JVM the heap to load the data whole");
        }
        if (data.streaming() != null && s.table().sampleWeight != null) {
            throw new UsageException("--sample-weight: not with streamed data yet (" + s.data() + " is streamed); leave it out"
                    + " or give the JVM the heap to load the data whole");
        }
        Tensor weights = data.streaming() != null ? null : TrainingWeights.of(s.table(), s.data(), p, data.train(),
                trainSamples + validationSamples, s.validationSplit(), s.seed());
        if (weights != null) weights = SampleWeights.checked(weights);
        Map<String, Object> settings = TrainingRecord.settings(s, archText, architecture, resume, lossName, optimizer, lr, epochs,
                tokenizer, p, trainSamples, validationSamples);
        control.attach(fit, model, data.hasValidation(), lrGiven, s.out(), m -> TrainingRecord.store(m, p, settings, control));
        settings.putAll(control.settings());
        if (continued != null) {
            io.err().printf(Locale.ROOT, "Continuing %s after %d epoch%s%n", resume, model.epochsDone(), model.epochsDone() == 1 ? "" : "s");
        }
        io.err().printf(Locale.ROOT, "Training on %,d samples (%s) with %,d for validation: %s, %s, loss %s, optimizer %s (lr %s)%n",
                trainSamples, images ? "images " + Shape.str(sample) : texts ? "texts" : sample[0] + " features", validationSamples,
                p.task() == Task.CLASSIFICATION ? p.numClasses() + " classes" : "regression of '" + p.labelName() + "'",
                String.format(Locale.ROOT, "%,d parameters", network.parameterCount()), lossName, optimizer, Reports.number(lr));
        io.err().println("Task: " + p.task().id() + ", " + Printable.of(p.taskReason()));
        if (tokenizer != null) io.err().println(TextReports.trainingLine(tokenizer, tokenizerOptions, continued != null));
        if (textDefault != null) io.err().println(textDefault.reason());
        for (String line : control.describe()) io.err().println(line);
        if (data.streaming() != null) io.err().println(data.streaming());
        if (!s.json()) io.err().print(Reports.summary(network));
        monitor.begin(settings, Reports.summary(network), fit);

        // 4. fit
        long start = System.nanoTime();
        int epochsBefore = model.epochsDone();
        History history = data.fit(model, fit, weights);
        double seconds = (System.nanoTime() - start) / 1e9;
        // the epochs run: early stopping and Ctrl-C may end training before --epochs
        double samplesPerSecond = seconds > 0 ? (double) trainSamples * (model.epochsDone() - epochsBefore) / seconds : 0;
        String stopping = control.stoppingLine(model.epochsDone());
        if (stopping != null) io.err().println(stopping);
        if (control.smallTable() && userArch == null && continued == null && data.streaming() == null) {
            ArchSpec.Built linear = ArchSpec.parse("").build(sample, outputs, s.seed(), described);
            SmallTableChoice.Choice choice = SmallTableChoice.compare(newModel(linear, data, sample, control, optimizer, lr, lossName,
                    new MeanAbsoluteErrorMetric()), linear.architecture(), data, weights, epochs, s, archText, control, settings, interruption, io);
            if (choice.linear()) {
                model = choice.model();
                network = model.network();
                history = model.history();
                archText = "";
                architecture = linear.architecture();
            }
        }
        if (interruption.requested() && writes) TrainingRecord.saveInterrupted(model, p, settings, control, interruption, s.out(), s.json(), io);

        // 5. test
        Map<String, Double> test = null;
        int testSamples = 0;
        if (data.hasTest()) {
            test = data.evaluateTest(model, p.task(), evaluationBatch);
            testSamples = data.testSize();
            // the record's confusion matrix needs the test data in memory; a streamed test set records no results
            if (data.test() != null) monitor.tested(model, data.test(), p.task(), test);
        }

        // 6. outputs, only now that everything worked: the plot is rendered before the model is saved
        byte[] plot = null;
        if (plotFormat != null) {
            String title = s.dataName() != null ? s.dataName()
                    : s.data().getFileName() == null ? "training" : s.data().getFileName().toString();
            plot = Plotter.render(history, model.metrics().get(0).name(),
                    p.task() == Task.CLASSIFICATION ? "Accuracy" : "MAE", title, plotFormat);
        }
        if (test != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            for (var e : test.entrySet()) t.put(e.getKey(), Reports.finite(e.getValue()));
            t.put("samples", testSamples);
            settings.put("test", t);
        }
        TrainingRecord.store(model, p, settings, control);
        if (writes) model.save(s.out());
        if (plot != null && writes) TrainingOutputs.writePlot(s.plot(), plot, s.out());
        return new Result(model, p, network, archText, architecture, resume, lossName, history, test, testSamples,
                trainSamples, validationSamples, seconds, samplesPerSecond, s.out(), s.plot(), control.bestEpoch(), data.streaming());
    }

    /** A new model: the network built from --arch with the data's preprocessing inside, compiled. */
    private static Model newModel(ArchSpec.Built built, TrainingData data, int[] sample, TrainingControl control,
                                  String optimizer, double lr, String lossName, Metric metric) {
        Model model = ModelPreprocessing.configure(
                new Model(ModelPreprocessing.network(built.network(), data.statistics(), sample)), data.statistics())
                .tokenizer(data.tokenizer());
        return model.compile(control.optimizer(optimizer, lr), Losses.create(coreLossName(lossName), control.lossSettings(lossName)), metric);
    }

    /** Whether two paths name the same file (through links where the files exist). */
    static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        } catch (IOException e) {
            // unreadable: compare the names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** The command-line loss name for {@code --loss} (a few spellings accepted). */
    static String lossName(String raw) {
        String k = raw.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (k) {
            case "cross-entropy", "crossentropy", "ce", "categorical-cross-entropy", "sparse-categorical-crossentropy" -> "cross-entropy";
            case "binary-cross-entropy", "binary-crossentropy", "bce" -> "binary-cross-entropy";
            case "mse", "mean-squared-error" -> "mse";
            case "mae", "mean-absolute-error" -> "mae";
            case "huber" -> "huber";
            default -> throw new UsageException("--loss: unknown loss '" + raw + "' (known: " + String.join(", ", LOSSES) + ")");
        };
    }

    static boolean isRegressionLoss(String lossName) {
        return lossName.equals("mse") || lossName.equals("mae") || lossName.equals("huber");
    }

    private static String coreLossName(String lossName) {
        return switch (lossName) {
            case "cross-entropy" -> "cross_entropy";
            case "binary-cross-entropy" -> "binary_cross_entropy";
            default -> lossName;
        };
    }

    static String preview(List<String> items) {
        if (items.size() <= 6) return Printable.of(String.join(", ", items));
        return Printable.of(String.join(", ", items.subList(0, 5))) + ", ... (" + items.size() + " in all)";
    }
}
