package dev.nabla.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad input: exit 2, one "error:" line naming the file or flag, no output file. */
class ErrorsTest {

    @TempDir
    static Path dir;

    static Path csv;
    static Path images;
    static Path model;

    @BeforeAll
    static void setUp() throws Exception {
        csv = CliTestSupport.classificationCsv(dir, "good.csv", 30, 1, true);
        images = CliTestSupport.imageFolder(dir, "images", 4, 1);
        model = dir.resolve("good.nabla");
        assertEquals(0, nabla("train", "--data", csv, "--label", "species", "--epochs", 1, "--out", model, "--json").code());
    }

    /** Runs train with these extra arguments, expecting a usage error naming {@code mentions} and no model file. */
    private static void trainFails(Object[] args, String... mentions) {
        trainFails(false, args, mentions);
    }

    private static void trainFails(boolean duringTraining, Object[] args, String... mentions) {
        Path out = dir.resolve("never.nabla");
        Path plot = dir.resolve("never.png");
        Object[] all = new Object[args.length + 5];
        all[0] = "train";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--out";
        all[args.length + 2] = out;
        all[args.length + 3] = "--epochs";
        all[args.length + 4] = 1;
        CliTestSupport.Run r = nabla(all);
        if (duringTraining) {
            r.assertUsageErrorAfterProgress(mentions);
        } else {
            r.assertUsageError(mentions);
        }
        assertFalse(Files.exists(out), "no model file after an error");
        assertFalse(Files.exists(plot), "no plot after an error");
    }

    @Test
    void outputsThatAreNotSafeToReplace() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "my notes\n");
        CliTestSupport.Run refused = nabla("train", "--data", csv, "--label", "species", "--epochs", 1, "--out", notes);
        refused.assertUsageError("--out", "notes.txt", "not a Nabla model", "--force");
        assertEquals("my notes\n", Files.readString(notes), "the file is untouched");

        Path link = Files.createSymbolicLink(dir.resolve("link.nabla"), model);
        nabla("train", "--data", csv, "--label", "species", "--epochs", 1, "--out", link).assertUsageError("--out", "symbolic link");
        assertTrue(Files.isSymbolicLink(link));

        Path fifo = dir.resolve("fifo.nabla");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            nabla("train", "--data", csv, "--label", "species", "--epochs", 1, "--out", fifo).assertUsageError("--out", "not a regular file");
            Path fifoPng = dir.resolve("fifo.png");
            assertEquals(0, new ProcessBuilder("mkfifo", fifoPng.toString()).start().waitFor());
            nabla("train", "--data", csv, "--label", "species", "--epochs", 1, "--plot", fifoPng).assertUsageError("--plot", "not a regular file");
        }
        if (Files.exists(Path.of("/dev/null"))) {
            nabla("train", "--data", csv, "--label", "species", "--epochs", 1, "--out", Path.of("/dev/null"))
                    .assertUsageError("--out", "not a regular file");
        }

        // --force lets it replace a file that is not a model; an existing model is replaced without it
        assertEquals(0, nabla("train", "--data", csv, "--label", "species", "--epochs", 1, "--out", notes, "--force").code());
        assertTrue(OutputFiles.isModelFile(notes));
        assertEquals(0, nabla("train", "--data", csv, "--label", "species", "--epochs", 1, "--out", notes).code());
    }

    @Test
    void absurdThreadCounts() {
        // 100,000 threads crashed the native thread pool (exit 139) before this bound
        trainFails(new Object[]{"--data", csv, "--label", "species", "--threads", 100_000}, "--threads", "at most");
        trainFails(new Object[]{"--data", csv, "--label", "species", "--threads", 0}, "--threads", "at least 1");
        nabla("predict", "--model", model, "--threads", 100_000, csv).assertUsageError("--threads");
    }

    @Test
    void withJsonAnErrorIsAlsoOneJsonObjectOnStdout() {
        CliTestSupport.Run missing = nabla("train", "--data", dir.resolve("nope.csv"), "--json", "--out", dir.resolve("never.nabla"));
        assertEquals(2, missing.code());
        java.util.Map<String, Object> o = dev.nabla.io.Json.asObject(dev.nabla.io.Json.parse(missing.out().strip()), "stdout");
        assertEquals(2L, o.get("exit"));
        assertTrue(((String) o.get("error")).contains("nope.csv"), o.toString());
        assertTrue(missing.err().startsWith("error: "), missing.err());

        CliTestSupport.Run badFlag = nabla("train", "--data", csv, "--epochs", "many", "--json");
        assertEquals(2, badFlag.code());
        o = dev.nabla.io.Json.asObject(dev.nabla.io.Json.parse(badFlag.out().strip()), "stdout");
        assertTrue(((String) o.get("error")).contains("--epochs"), o.toString());
        assertEquals("", nabla("train", "--data", dir.resolve("nope.csv")).out(), "without --json, nothing on stdout");
    }

    @Test
    void aPlotThatCannotBeWrittenAfterTheSaveSaysWhereTheModelIs() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> TrainingOutputs.writePlot(notAFolder.resolve("plot.png"), new byte[]{1}, model));
        assertTrue(e.getMessage().startsWith("--plot " + notAFolder.resolve("plot.png") + ": could not be written")
                && e.getMessage().endsWith("the model was saved to " + model), e.getMessage());
    }

    @Test
    void dataThatIsADevice() {
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) trainFails(new Object[]{"--data", zero}, "/dev/zero", "not a regular file");
    }

    @Test
    void missingDataFile() {
        trainFails(new Object[]{"--data", dir.resolve("nope.csv")}, "nope.csv", "--data");
    }

    @Test
    void emptyFolder() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        trainFails(new Object[]{"--data", empty}, empty.toString());
    }

    @Test
    void unreadableImage() throws Exception {
        Path bad = CliTestSupport.imageFolder(dir, "bad-images", 3, 2);
        Path broken = bad.resolve("stripes-h/broken.png");
        Files.writeString(broken, "this is not a PNG");
        trainFails(new Object[]{"--data", bad}, "broken.png");
    }

    @Test
    void nonNumericCsvValue() throws Exception {
        // a word in a feature column is a category now; a number beyond float range is still an error
        Path file = Files.writeString(dir.resolve("words.csv"), "a,b,label\n1,2,x\n3,1e39,y\n5,6,x\n7,8,y\n");
        trainFails(new Object[]{"--data", file}, "words.csv", "line 3", "'b'", "1e39", "too large");
    }

    @Test
    void missingLabelColumn() {
        trainFails(new Object[]{"--data", csv, "--label", "nosuch"}, "good.csv", "nosuch");
        // without --label the last column is the label, and the string column 'species' is then a (categorical) feature
        Path other = dir.resolve("other.nabla");
        CliTestSupport.Run r = nabla("train", "--data", csv, "--epochs", 1, "--out", other);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("Task: regression"), r.err());
    }

    @Test
    void badModelSpecToken() {
        trainFails(new Object[]{"--data", csv, "--label", "species", "--arch", "dense:64:relu,dens:3"}, "--arch", "dens:3");
        trainFails(new Object[]{"--data", csv, "--label", "species", "--arch", "dense:x"}, "--arch", "dense:x");
        trainFails(new Object[]{"--data", csv, "--label", "species", "--arch", "dropout:1.5"}, "--arch", "dropout:1.5");
    }

    @Test
    void convOnTable() {
        trainFails(new Object[]{"--data", csv, "--label", "species", "--arch", "conv:8:3:relu,flatten"}, "--arch", "conv:8:3:relu", "table");
    }

    @Test
    void kernelLargerThanImage() {
        trainFails(new Object[]{"--data", images, "--arch", "conv:4:30"}, "--arch", "conv:4:30");
    }

    @Test
    void badPlotExtensionBeforeTraining() {
        trainFails(new Object[]{"--data", csv, "--label", "species", "--plot", dir.resolve("curves.pdf")}, "--plot", "curves.pdf");
    }

    @Test
    void badNames() {
        trainFails(new Object[]{"--data", csv, "--label", "species", "--loss", "hinge"}, "--loss", "hinge");
        trainFails(new Object[]{"--data", csv, "--label", "species", "--optimizer", "lbfgs"}, "--optimizer", "lbfgs");
        trainFails(new Object[]{"--data", csv, "--label", "species", "--val-split", 1.5}, "--val-split");
        trainFails(new Object[]{"--data", csv, "--label", "species", "--lr", -1}, "--lr");
        trainFails(new Object[]{"--data", csv, "--label", "species", "--image-size", "big"}, "--image-size");
        trainFails(new Object[]{"--data", images, "--loss", "mse"}, "--loss", "images");
        trainFails(new Object[]{"--data", csv, "--label", "species", "--loss", "binary-cross-entropy"}, "binary-cross-entropy", "3");
        trainFails(new Object[]{"--data", csv, "--label", "species", "--out", dir.resolve("no/such/dir/m.nabla")}, "--out");
    }

    @Test
    void picocliUsageErrors() {
        nabla("train").assertUsageError("--data");
        nabla("train", "--data", csv, "--epochs", "ten").assertUsageError("--epochs", "ten");
        nabla("train", "--data", csv, "--frobnicate").assertUsageError("--frobnicate");
        nabla("frobnicate").assertUsageError("frobnicate");
        nabla("predict", "--model", model).assertUsageError("INPUT");
    }

    @Test
    void divergingTraining() throws Exception {
        Path prices = CliTestSupport.regressionCsv(dir, "prices.csv", 40, 1);
        trainFails(true, new Object[]{"--data", prices, "--loss", "mse", "--optimizer", "sgd", "--lr", 1e18,
                "--arch", "dense:32:relu,dense:32:relu"}, "diverged", "epoch 1");
    }

    @Test
    void notAModelFile() throws Exception {
        Path fake = Files.writeString(dir.resolve("fake.nabla"), "hello");
        nabla("evaluate", "--model", fake, "--data", csv).assertUsageError("fake.nabla");
        nabla("predict", "--model", fake, csv).assertUsageError("fake.nabla");
        nabla("info", "--model", fake).assertUsageError("fake.nabla");
        nabla("info", "--model", dir.resolve("absent.nabla")).assertUsageError("absent.nabla", "--model");
    }

    @Test
    void wrongInputsForModel() throws Exception {
        nabla("predict", "--model", model, images.resolve("stripes-h/000.png")).assertUsageError("000.png");
        Path missingFeature = Files.writeString(dir.resolve("partial.csv"), "a,b,c\n1,2,3\n");
        nabla("predict", "--model", model, missingFeature).assertUsageError("partial.csv", "d");
        nabla("evaluate", "--model", model, "--data", images).assertUsageError(images.toString());
        nabla("predict", "--model", model, dir.resolve("nope.csv")).assertUsageError("nope.csv");
    }

    @Test
    void unknownDataset() {
        nabla("datasets", "download", "cifar", "--dir", dir.resolve("d")).assertUsageError("cifar");
        assertFalse(Files.exists(dir.resolve("d")));
    }

    @Test
    void internalErrorsExitOne() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Errors.report(new NullPointerException("boom"), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("error: internal error: java.lang.NullPointerException: boom"), text);
        assertFalse(text.contains("\tat "), "no stack trace without NABLA_DEBUG");
    }

    @Test
    void plainNablaPrintsUsage() {
        CliTestSupport.Run r = nabla();
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Usage: nabla") && r.out().contains("train") && r.out().contains("demo"), r.out());
        CliTestSupport.Run help = nabla("train", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--val-split"), help.out());
    }
}
