package dev.nabla.cli;

import dev.nabla.io.Json;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nabla train}'s training control: schedules against PyTorch's rates (golden values from
 * {@code golden/make_cli_schedules.py}), early stopping, clipping, weight decay, label smoothing, checkpoints, and
 * continuing a run exactly (schedule, early stopping, optimizer and shuffling), all through {@link Main}.
 */
class TrainingControlTest {

    @TempDir
    static Path dir;

    static Path csv;

    @BeforeAll
    static void data() throws IOException {
        csv = CliTestSupport.classificationCsv(dir, "points.csv", 90, 1, true);
    }

    private static Path out(String name) {
        return dir.resolve(name);
    }

    private static CliTestSupport.Run train(Object... more) {
        List<Object> args = new ArrayList<>(List.of("train", "--data", csv, "--label", "species", "--arch", "dense:16:relu,dropout:0.1",
                "--val-split", 0.2, "--batch-size", 16));
        args.addAll(List.of(more));
        CliTestSupport.Run r = nabla(args.toArray());
        assertEquals(0, r.code(), () -> "exit status; stderr:\n" + r.err());
        return r;
    }

    /** The learning rate each epoch trained with, as the model file's history holds it. */
    private static double[] rates(Path model) throws IOException {
        return Model.load(model).history().epochs().stream().mapToDouble(e -> e.get("lr")).toArray();
    }

    /** Every weight of a model file, in order. */
    private static List<float[]> weights(Path model) throws IOException {
        List<float[]> all = new ArrayList<>();
        for (Tensor t : Model.load(model).network().namedParameters().values()) all.add(t.toArray());
        return all;
    }

    private static void assertSameWeights(Path expected, Path actual) throws IOException {
        List<float[]> a = weights(expected);
        List<float[]> b = weights(actual);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), "weight " + i + " bit for bit");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> control(Path model) throws IOException {
        return (Map<String, Object>) Model.load(model).metadata().get(TrainingControl.METADATA);
    }

    @Test
    void schedulesGiveTorchsRates() throws IOException {
        List<String> lines;
        try (InputStream in = TrainingControlTest.class.getResourceAsStream("/golden/cli_schedules.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).toList();
        }
        assertTrue(lines.size() >= 7, "golden cases");
        for (String line : lines) {
            String[] f = line.split("\\|");
            int epochs = Integer.parseInt(f[1]);
            Path m = out("schedule-" + Math.abs(line.hashCode()) + ".nabla");
            train("--optimizer", "sgd", "--lr", 0.01, "--epochs", epochs, "--lr-schedule", f[0], "--out", m);
            double[] got = rates(m);
            assertEquals(epochs, got.length, f[0]);
            for (int e = 0; e < epochs; e++) {
                double want = Double.parseDouble(f[2 + e]);
                assertEquals(want, got[e], 1e-6 * want + 1e-12, f[0] + " epoch " + (e + 1));
            }
        }
    }

    @Test
    void warmupFlagIsTheScheduleKey() throws IOException {
        Path a = out("warm-flag.nabla");
        Path b = out("warm-key.nabla");
        train("--lr", 0.01, "--epochs", 4, "--lr-schedule", "cosine", "--warmup", 2, "--out", a);
        train("--lr", 0.01, "--epochs", 4, "--lr-schedule", "cosine:warmup=2", "--out", b);
        assertArrayEquals(rates(a), rates(b));
        assertEquals(0.005, rates(a)[0], 1e-9, "epoch 1 of 2 of warm-up: half the rate");
    }

    @Test
    void continuingAScheduledRunEqualsTheWholeRun() throws IOException {
        // the whole run: 4 epochs of warm-up + cosine, Adam, dropout, shuffling
        Path whole = out("whole.nabla");
        train("--epochs", 4, "--lr", 0.01, "--lr-schedule", "cosine:t_max=3:warmup=1", "--clip-norm", 0.5, "--out", whole);
        Path half = out("half.nabla");
        train("--epochs", 2, "--lr", 0.01, "--lr-schedule", "cosine:t_max=3:warmup=1", "--clip-norm", 0.5, "--out", half);
        Path rest = out("rest.nabla");
        CliTestSupport.Run r = nabla("train", "--data", csv, "--label", "species", "--val-split", 0.2, "--batch-size", 16,
                "--model", half, "--epochs", 2, "--out", rest);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("learning rate cosine:t_max=3:eta_min=0:warmup=1"), "the saved schedule continues:\n" + r.err());
        assertArrayEquals(rates(whole), rates(rest), "the rates of all 4 epochs");
        assertSameWeights(whole, rest);
        assertEquals(0.5, Json.asDouble(control(rest).get("clip_norm"), "clip_norm"), "the clipping continues");
    }

    @Test
    void continuingAStepScheduleDoesNotRestartIt() throws IOException {
        Path whole = out("step-whole.nabla");
        train("--epochs", 4, "--optimizer", "momentum", "--lr-schedule", "step:step_size=1:gamma=0.5", "--out", whole);
        Path half = out("step-half.nabla");
        train("--epochs", 2, "--optimizer", "momentum", "--lr-schedule", "step:step_size=1:gamma=0.5", "--out", half);
        Path rest = out("step-rest.nabla");
        assertEquals(0, nabla("train", "--data", csv, "--label", "species", "--val-split", 0.2, "--batch-size", 16, "--model", half,
                "--epochs", 2, "--out", rest).code());
        assertArrayEquals(new double[]{0.01, 0.005, 0.0025, 0.00125}, rates(rest), 1e-9);
        assertSameWeights(whole, rest);
        Path faster = out("step-faster.nabla");
        assertEquals(0, nabla("train", "--data", csv, "--label", "species", "--val-split", 0.2, "--batch-size", 16, "--model", half,
                "--epochs", 2, "--lr", 0.1, "--out", faster).code());
        assertArrayEquals(new double[]{0.01, 0.005, 0.025, 0.0125}, rates(faster), 1e-9, "--lr sets the continued schedule's base rate");
        Path plain = out("step-dropped.nabla");
        assertEquals(0, nabla("train", "--data", csv, "--label", "species", "--val-split", 0.2, "--batch-size", 16, "--model", half,
                "--epochs", 2, "--lr-schedule", "none", "--out", plain).code());
        assertArrayEquals(new double[]{0.01, 0.005, 0.0025, 0.0025}, rates(plain), 1e-9, "none: the rate the model has, constant");
        assertEquals(null, control(plain));
    }

    @Test
    void plateauHalvesTheRateAsReduceLROnPlateauAndContinuesExactly() throws IOException {
        Object[] flags = {"--optimizer", "sgd", "--lr", 0.5, "--lr-schedule", "plateau:factor=0.5:patience=0", "--monitor", "val_accuracy"};
        Path whole = out("plateau-whole.nabla");
        List<Object> args = new ArrayList<>(List.of(flags));
        args.addAll(List.of("--epochs", 8, "--out", whole));
        train(args.toArray());
        // ReduceLROnPlateau(mode=max, factor=0.5, patience=0, threshold=1e-4 relative) on val_accuracy, by hand
        List<Map<String, Double>> h = Model.load(whole).history().epochs();
        double lr = 0.5;
        double best = Double.NEGATIVE_INFINITY;
        int reductions = 0;
        for (Map<String, Double> e : h) {
            assertEquals((float) lr, e.get("lr").floatValue(), "epoch " + h.indexOf(e));
            double v = e.get("val_accuracy");
            if (v > best * (1 + 1e-4)) {
                best = v;
            } else {
                lr *= 0.5;
                reductions++;
            }
        }
        assertTrue(reductions > 0, "the rate was cut at least once: " + h);
        Path half = out("plateau-half.nabla");
        args = new ArrayList<>(List.of(flags));
        args.addAll(List.of("--epochs", 4, "--out", half));
        train(args.toArray());
        Path rest = out("plateau-rest.nabla");
        assertEquals(0, nabla("train", "--data", csv, "--label", "species", "--val-split", 0.2, "--batch-size", 16, "--model", half,
                "--epochs", 4, "--out", rest).code());
        assertArrayEquals(rates(whole), rates(rest), "the plateau's counters continue");
        assertSameWeights(whole, rest);
    }

    @Test
    void checkpointsAreWrittenBesideOutAndContinueExactly() throws IOException {
        Path m = out("ck.nabla");
        CliTestSupport.Run r = train("--epochs", 4, "--lr-schedule", "exponential:gamma=0.7", "--checkpoint-every", 2, "--out", m);
        Path two = out("ck.epoch2.nabla");
        Path four = out("ck.epoch4.nabla");
        assertTrue(Files.exists(two) && Files.exists(four), "checkpoints beside --out");
        assertFalse(Files.exists(out("ck.epoch1.nabla")) || Files.exists(out("ck.epoch3.nabla")), "only every 2 epochs");
        assertTrue(r.err().contains("checkpoints every 2 epochs to " + out("ck.epochE.nabla")), r.err());
        assertEquals(2, Model.load(two).epochsDone());
        assertSameWeights(m, four);
        Path resumed = out("ck-resumed.nabla");
        assertEquals(0, nabla("train", "--data", csv, "--label", "species", "--val-split", 0.2, "--batch-size", 16, "--model", two,
                "--epochs", 2, "--out", resumed).code());
        assertSameWeights(m, resumed);
    }

    @Test
    void earlyStoppingKeepsTheBestEpochsWeights() throws IOException {
        Path m = out("es.nabla");
        // a large rate makes the validation loss bounce; patience 1 stops at the first two bad epochs in a row
        CliTestSupport.Run r = train("--epochs", 40, "--lr", 0.3, "--optimizer", "sgd", "--early-stopping", 1, "--checkpoint-every", 1,
                "--out", m);
        Model model = Model.load(m);
        List<Map<String, Double>> history = model.history().epochs();
        int best = 0;
        for (int e = 0; e < history.size(); e++) if (history.get(e).get("val_loss") < history.get(best).get("val_loss")) best = e;
        Map<String, Object> es = Json.asObject(control(m).get("early_stopping"), "early_stopping");
        assertEquals(best + 1L, es.get("best_epoch"));
        assertEquals(history.get(best).get("val_loss"), Json.asDouble(es.get("best"), "best"));
        if (history.size() < 40) assertEquals(best + 1 + 2, history.size(), "stops after patience + 1 epochs without improvement");
        assertSameWeights(out("es.epoch" + (best + 1) + ".nabla"), m);
        assertTrue(r.err().contains("early stopping: best val_loss"), r.err());
    }

    @Test
    void earlyStoppingStateIsContinued() throws IOException {
        Path first = out("es-first.nabla");
        train("--epochs", 3, "--early-stopping", 5, "--out", first);
        Map<String, Object> before = Json.asObject(control(first).get("early_stopping"), "early_stopping");
        Path more = out("es-more.nabla");
        assertEquals(0, nabla("train", "--data", csv, "--label", "species", "--val-split", 0.2, "--batch-size", 16, "--model", first,
                "--epochs", 2, "--out", more).code());
        Map<String, Object> after = Json.asObject(control(more).get("early_stopping"), "early_stopping");
        assertEquals(5L, after.get("patience"), "the saved patience");
        assertTrue(Json.asDouble(after.get("best"), "best") <= Json.asDouble(before.get("best"), "best"), "the best so far is kept");
        assertTrue(Json.asLong(after.get("best_epoch"), "e") >= Json.asLong(before.get("best_epoch"), "e"));
    }

    @Test
    void weightDecayLabelSmoothingAndClippingReachTheOptimizerAndLoss() throws IOException {
        Path plain = out("plain.nabla");
        Path tuned = out("tuned.nabla");
        train("--epochs", 2, "--optimizer", "adamw", "--out", plain);
        train("--epochs", 2, "--optimizer", "adamw", "--weight-decay", 0.2, "--label-smoothing", 0.1, "--clip-norm", 0.1, "--out", tuned);
        Model m = Model.load(tuned);
        assertEquals(0.2, m.optimizer().hyperparameters().get("weight_decay"), 1e-12);
        assertEquals(0.01, Model.load(plain).optimizer().hyperparameters().get("weight_decay"), 1e-12, "adamw's default");
        assertEquals(0.1f, ((dev.nabla.loss.SparseCategoricalCrossEntropy) m.loss()).labelSmoothing(), 1e-7f);
        assertNotEquals(weights(plain).get(0)[0], weights(tuned).get(0)[0]);
        Map<String, Object> settings = ModelMetadata.training(m);
        assertEquals(0.2, settings.get("weight_decay"));
        assertEquals(0.1, settings.get("label_smoothing"));
        // an L2 penalty for adam: in the optimizer's config, as torch.optim.Adam(weight_decay=...)
        Path adam = out("adam-l2.nabla");
        train("--epochs", 1, "--weight-decay", 0.05, "--out", adam);
        assertEquals(0.05, Model.load(adam).optimizer().hyperparameters().get("weight_decay"), 1e-12);
    }

    @Test
    void aLabelSmoothedModelsLossIsTorchsLabelSmoothedCrossEntropy() throws IOException {
        Path m = out("smoothed.nabla");
        train("--epochs", 2, "--label-smoothing", 0.2, "--out", m);
        double loss = Json.asDouble(nabla("evaluate", "--model", m, "--data", csv, "--label", "species", "--json").json().get("loss"), "loss");
        List<Object> predictions = Json.asArray(nabla("predict", "--model", m, csv, "--json", "--top", 3).json().get("predictions"), "p");
        List<String> labels = Files.readAllLines(csv).stream().skip(1).map(l -> l.split(",")[2]).toList();
        // torch.nn.CrossEntropyLoss(label_smoothing=eps): (1 - eps) * -log p[label] + eps / K * sum_k -log p[k], averaged
        double eps = 0.2;
        double smoothed = 0;
        double plain = 0;
        for (int i = 0; i < labels.size(); i++) {
            Map<String, Object> probabilities = Json.asObject(Json.asObject(predictions.get(i), "row").get("probabilities"), "p");
            double nll = -Math.log(Json.asDouble(probabilities.get(labels.get(i)), "p"));
            double uniform = 0;
            for (Object p : probabilities.values()) uniform -= Math.log(Json.asDouble(p, "p"));
            smoothed += (1 - eps) * nll + eps / probabilities.size() * uniform;
            plain += nll;
        }
        assertEquals(smoothed / labels.size(), loss, 1e-5);
        assertTrue(Math.abs(plain / labels.size() - loss) > 1e-3, "not the plain cross-entropy");
    }

    @Test
    void badControlFlagsAreUsageErrors() {
        Object[] base = {"train", "--data", csv, "--label", "species", "--epochs", 1, "--out", out("bad.nabla")};
        record Case(List<Object> flags, String... mentions) {
        }
        List<Case> cases = List.of(
                new Case(List.of("--lr-schedule", "cosinus"), "--lr-schedule", "unknown schedule 'cosinus'", "cosine"),
                new Case(List.of("--lr-schedule", "step:size=2"), "--lr-schedule", "bad setting 'size=2'", "step_size"),
                new Case(List.of("--lr-schedule", "step:gamma=x"), "--lr-schedule", "needs a number"),
                new Case(List.of("--lr-schedule", "cosine:t_max=0"), "--lr-schedule", "t_max"),
                new Case(List.of("--lr-schedule", "plateau:warmup=2"), "--lr-schedule", "warm-up"),
                new Case(List.of("--warmup", -1), "--warmup"),
                new Case(List.of("--early-stopping", -2), "--early-stopping"),
                new Case(List.of("--early-stopping", 2, "--val-split", 0), "--early-stopping", "validation", "--monitor loss"),
                new Case(List.of("--early-stopping", 2, "--monitor", "val_f1"), "--monitor val_f1", "val_loss", "val_accuracy"),
                new Case(List.of("--clip-norm", 0), "--clip-norm"),
                new Case(List.of("--weight-decay", -1), "--weight-decay"),
                new Case(List.of("--label-smoothing", 1.5), "--label-smoothing"),
                new Case(List.of("--checkpoint-every", 0), "--checkpoint-every"),
                new Case(List.of("--monitor", "loss"), "--monitor", "--early-stopping"));
        for (Case c : cases) {
            List<Object> args = new ArrayList<>(List.of(base));
            args.addAll(c.flags());
            nabla(args.toArray()).assertUsageErrorAfterProgress(c.mentions());
        }
        assertFalse(Files.exists(out("bad.nabla")));
    }

    @Test
    void labelSmoothingIsForCrossEntropyOnly() throws IOException {
        Path two = dir.resolve("two.csv");
        Files.writeString(two, "a,b,label\n1,2,yes\n2,1,no\n3,4,yes\n4,3,no\n5,6,yes\n6,5,no\n");
        nabla("train", "--data", two, "--loss", "binary-cross-entropy", "--label-smoothing", 0.1, "--epochs", 1, "--out", out("b.nabla"))
                .assertUsageErrorAfterProgress("--label-smoothing", "only for --loss cross-entropy");
    }

    @Test
    void aCheckpointNeverReplacesAnotherFile() throws IOException {
        Path m = out("guarded.nabla");
        Files.writeString(out("guarded.epoch2.nabla"), "notes");
        nabla("train", "--data", csv, "--label", "species", "--epochs", 3, "--checkpoint-every", 2, "--out", m)
                .assertUsageError("--checkpoint-every 2", "guarded.epoch2.nabla", "not a Nabla model");
        assertEquals("notes", Files.readString(out("guarded.epoch2.nabla")));
        assertFalse(Files.exists(m));
    }

    @Test
    void settingsOfAContinuedModelsOptimizerAndLossAreRefused() throws IOException {
        Path first = out("fixed.nabla");
        train("--epochs", 1, "--out", first);
        for (String flag : List.of("--weight-decay", "--label-smoothing")) {
            nabla("train", "--data", csv, "--label", "species", "--model", first, "--epochs", 1, flag, 0.1, "--out", out("x.nabla"))
                    .assertUsageError(flag, "--model");
        }
    }

    @Test
    void eachEpochIsPrintedOnce() {
        CliTestSupport.Run r = train("--epochs", 3, "--out", out("once.nabla"));
        String all = r.out() + "\n" + r.err();
        assertEquals(1, all.split("Epoch 2/3", -1).length - 1, all);
        List<String> rows = r.out().lines().filter(l -> l.matches("\\s+\\d+\\s+.*")).toList();
        assertEquals(1, rows.size(), "the summary has the last epoch only:\n" + r.out());
        assertTrue(rows.get(0).strip().startsWith("3 "), rows.get(0));
    }
}
