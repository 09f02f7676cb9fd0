package dev.nabla.cli;

import dev.nabla.data.DataOptions;
import dev.nabla.tensorboard.TensorBoardCallback;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nabla train}: trains a network on a CSV table, an image folder or IDX files and saves it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a neural network and saves it to one model file.",
                "DATA is a CSV file with a header row (numeric or text features, missing cells allowed, one label column), a folder with one "
                        + "sub-folder of images per class, a folder with one sub-folder of .txt files per class, a CSV "
                        + "file with a text column (--text-column), or MNIST-style IDX files (a folder or the images file)."},
        footer = {"",
                "Architecture (--arch): the hidden layers; the output layer is added from the data (classes:",
                "dense:CLASSES giving logits, or dense:1 with binary-cross-entropy; regression: dense:1), after a",
                "flatten when the last layer's output is not a vector. Either comma-separated layers:",
                "  dense:UNITS[:ACT]   conv:FILTERS:KERNEL[:ACT][:same]   maxpool[:SIZE]   avgpool[:SIZE]",
                "  globalavgpool   flatten   dropout:RATE   batchnorm   layernorm",
                "  relu, tanh, sigmoid, gelu, elu, leaky_relu (also as ACT); any key as key=value (conv:8:3:strides=2)",
                "  (image samples are flattened before the first dense layer automatically)",
                "or @FILE, a JSON architecture file: {\"layers\": [{\"type\": \"conv\", \"filters\": 16, \"kernel_size\": 3},",
                "  {\"name\": \"sum\", \"type\": \"add\", \"inputs\": [...]}, ...]} (Keras' keys; \"inputs\" makes a graph).",
                "  nabla info --model FILE --json gives a model's \"architecture\" back in this form.",
                "  default for tables: " + ModelSpec.DEFAULT_TABLE,
                "  default for images: " + ModelSpec.DEFAULT_IMAGE + " (under 10 pixels a side: padded, fewer poolings)",
                "  default for texts:  " + TextDefaults.RECURRENT + ",",
                "    or " + TextDefaults.POOLED + " when an epoch has over " + TextDefaults.RECURRENT_TOKEN_BUDGET / 1_000_000 + " million tokens",
                "  (texts: an embedding's vocabulary, input_dim, is the tokenizer's: embedding:64 is 64-dimensional vectors)",
                "",
                "Continue training (--model FILE): the saved model, its loss and optimizer state, learning-rate",
                "schedule, early stopping and --clip-norm; --epochs more, counted on (shuffling follows the epoch, so",
                "2 epochs continued for 2 more are the run of 4); data read with the model's preprocessing; saved to",
                "--out, never over FILE. Ctrl-C stops after the current batch, saves the model so far (the best one",
                "with --early-stopping) to --out and exits with status 130.",
                "",
                "Examples:",
                "  nabla train --data iris.csv --label species --epochs 50 --plot iris.png",
                "  nabla train --data houses.csv --label price --loss mse --arch dense:128:relu,dense:64:relu",
                "  nabla train --data houses.csv --epochs 100 --lr-schedule cosine:warmup=3 --early-stopping 10",
                "  nabla train --data pets/train --test pets/test --image-size 64x64 --augment flip,shift",
                "  nabla train --data pets/train --arch @resnet.json --out pets.nabla",
                "  nabla train --data reviews/ --tokenizer bpe --max-length 200",
                "  nabla train --data reviews.csv --text-column review --label sentiment",
                "  nabla train --data pets/train --model pets.nabla --epochs 5 --out pets-more.nabla",
                "  nabla train --data pets/train --tensorboard runs/pets-1   (then: tensorboard --logdir runs)"})
final class TrainCommand implements Callable<Integer> {

    private final Io io;

    @Option(names = "--data", required = true, paramLabel = "PATH",
            description = "Training data: CSV or Parquet file, jdbc: URL (with --query), image folder, text folder (class"
                    + " folders of .txt files) or IDX files.")
    Path data;

    @Option(names = "--test", paramLabel = "PATH", description = "Test data, evaluated after training (same kind as --data).")
    Path test;

    @Option(names = "--label", paramLabel = "NAME", description = "CSV label column (default: the last column).")
    String label;

    @Option(names = "--arch", paramLabel = "SPEC|@FILE",
            description = "Hidden layers: comma-separated, or @FILE, a JSON architecture file (see below).")
    String arch;

    @Option(names = "--model", paramLabel = "FILE", description = "A saved model to train further (instead of --arch).")
    String model;

    @Option(names = "--loss", paramLabel = "NAME",
            description = "cross-entropy (default for classes), binary-cross-entropy (2 classes), mse (default for "
                    + "numbers), mae, huber. mse, mae and huber make the task a regression.")
    String loss;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "sgd, momentum, adam, adamw, rmsprop, adagrad (default: adam; with --model: the model's).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: 0.001 for adam and adamw, 0.01 otherwise; with --model: the model's).")
    Double lr;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Passes over the training data (default: ${DEFAULT-VALUE}; for a regression table of at most "
                    + TrainingControl.SMALL_TABLE_ROWS + " rows: up to " + TrainingControl.SMALL_TABLE_EPOCHS
                    + " with early stopping).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Samples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--val-split", paramLabel = "F", defaultValue = "0.1",
            description = "Fraction of --data held out at random for validation, 0 for none (default: ${DEFAULT-VALUE}).")
    double valSplit;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the split, weights, shuffling and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--image-size", paramLabel = "WxH",
            description = "Resize images to this size (default: the most common size, at most 128 a side).")
    String imageSize;

    @Option(names = "--augment", paramLabel = "LIST",
            description = "Random changes to training images: flip, shift, shift:PIXELS (comma-separated).")
    String augment;

    @Option(names = "--text-column", paramLabel = "NAME",
            description = "CSV column holding the texts: makes a CSV a text data set (the label is --label, default the last "
                    + "other column; other columns are ignored).")
    String textColumn;

    @Option(names = "--tokenizer", paramLabel = "TYPE",
            description = "Text tokens: word (default), bpe (byte-pair subwords) or wordpiece (BERT-style subwords).")
    String tokenizer;

    @Option(names = "--vocab-size", paramLabel = "N",
            description = "Most token ids, padding and unknown included (default: " + TextOptions.DEFAULT_WORD_VOCABULARY
                    + " for word, " + TextOptions.DEFAULT_SUBWORD_VOCABULARY + " for subwords).")
    Integer vocabSize;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Tokens per text, padded or cut at the end (default: what 95%% of the training texts fit in, at most "
                    + dev.nabla.text.Tokenizer.MAX_DEFAULT_LENGTH + ").")
    Integer maxLength;

    @Option(names = "--lowercase", negatable = true, paramLabel = "",
            description = "Lower-case texts before tokenising (default; --no-lowercase keeps case).")
    Boolean lowercase;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the computation (default: all cores; at most 8 per core or 64, whichever is more).")
    Integer threads;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "model.nabla", description = "Model file to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--force", description = "Let --out replace an existing file that is not a Nabla model.")
    boolean force;

    @Option(names = "--plot", paramLabel = "FILE", description = "Draw loss and accuracy (or MAE) per epoch to a .png or .svg file.")
    Path plot;

    @Option(names = "--json", description = "Print one JSON object with the results on the last line of stdout.")
    boolean json;

    @Option(names = "--stream", description = "Read the data batch by batch as training needs them instead of loading it"
            + " whole: image folders (decoded on worker threads, a few batches ahead), text folders (the tokenizer fitted by"
            + " reading the training files once, then files read and encoded per batch) and tables (CSV, Parquet, JDBC: read"
            + " again every epoch after a first reading for statistics; every k-th row is held out for validation)."
            + " Chosen by itself when the data would not fit in the JVM's heap.")
    boolean stream;

    @picocli.CommandLine.Mixin
    TableOptions table = new TableOptions();

    @Mixin
    TrainingControlOptions control = new TrainingControlOptions();

    @Mixin
    TensorBoardOptions tensorboard = new TensorBoardOptions();

    @Mixin
    DashboardOptions dashboard = new DashboardOptions();

    @Mixin
    WorkerOptions workers = new WorkerOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    PrecisionOptions precision = new PrecisionOptions();

    TrainCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        Threads.apply(threads);
        precision.chosen();
        if (workers.launches()) return WorkerLauncher.run(arguments(), workers.workers, threads, json, io);
        // an --out that is an input gets the training's own message ("is the --data file") instead
        boolean anInput = Training.sameFile(out, data) || test != null && Training.sameFile(out, test)
                || model != null && Training.sameFile(out, Path.of(model));
        if (!anInput) OutputFiles.checkModelOut(out, force);
        int[] size = null;
        if (imageSize != null) {
            try {
                size = DataOptions.parseImageSize(imageSize);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--image-size: " + e.getMessage());
            }
        }
        dev.nabla.distributed.TcpRingCollective ring = workers.join();
        // in data-parallel training rank 0 reports for all: the others write no events, records or dashboard
        boolean reports = ring == null || ring.rank() == 0;
        TensorBoardCallback events = reports ? tensorboard.callback(out, plot, data, test) : null;
        RunMonitor monitor = reports ? dashboard.open(out, io) : RunMonitor.NONE;
        Training.Result result;
        boolean succeeded = false;
        try (var arithmetic = precision.open(io)) {
            result = Training.run(new Training.Settings(data, test, label, arch, model, loss, optimizer, lr, epochs,
                    batchSize, valSplit, seed, size, augment, out, plot, null, json,
                    new TextOptions(textColumn, tokenizer, vocabSize, maxLength, lowercase), table, stream), control,
                    TensorBoardOptions.watchers(events, io.err()), monitor, ring, io);
            if (ring != null) ring.close();
            if (reports) {
                if (ring != null) io.err().println(WorkerOptions.summary(ring, result.seconds(), batchSize));
                if (json) {
                    Reports.printJson(io.out(), Reports.trainJson(result));
                } else {
                    Reports.printTraining(io.out(), result);
                    if (ModelMetadata.training(result.model()).get("defaults") instanceof String chosen) io.out().println(chosen);
                }
            }
            io.out().flush();
            succeeded = true;
        } catch (Interruption.Stopped stopped) {
            return Interruption.EXIT_STATUS;   // the model was saved and the message printed
        } catch (dev.nabla.distributed.CollectiveException e) {
            monitor.failed(e);
            JsonErrors.report(e, io, json);
            return WorkerLauncher.PEER_FAILED;   // the launcher reports the worker that failed first
        } catch (RuntimeException | Error | java.io.IOException e) {
            monitor.failed(e);
            throw e;
        } finally {
            if (ring != null) ring.close();
            if (events != null) events.close();
            TensorBoardOptions.warnOnFailure(events, io.err());
            monitor.finish(succeeded);
        }
        return 0;
    }

    /** This command's arguments as given (after {@code train}), for the workers. */
    private java.util.List<String> arguments() {
        java.util.List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        return all.subList(at + 1, all.size());
    }
}
