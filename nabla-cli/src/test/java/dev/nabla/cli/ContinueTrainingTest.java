package dev.nabla.cli;

import dev.nabla.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --model FILE}: a saved model trained further; what may not change; what is never overwritten. */
class ContinueTrainingTest {

    @TempDir
    static Path dir;

    static Path csv;
    static Path csvTest;
    static Path first;
    static byte[] firstBytes;

    @BeforeAll
    static void trainTwoEpochs() throws Exception {
        csv = CliTestSupport.classificationCsv(dir, "points.csv", 60, 1, true);
        csvTest = CliTestSupport.classificationCsv(dir, "points-test.csv", 30, 2, true);
        first = dir.resolve("first.nabla");
        nabla("train", "--data", csv, "--label", "species", "--arch", "dense:16:relu,dropout:0.1", "--epochs", 2,
                "--val-split", 0.2, "--out", first, "--json").json();
        firstBytes = Files.readAllBytes(first);
    }

    private static List<Object> history(Map<String, Object> json) {
        return Json.asArray(json.get("history"), "history");
    }

    @Test
    void continuesCountingEpochsAndLeavesTheInputModelAlone() throws Exception {
        Path more = dir.resolve("more.nabla");
        Map<String, Object> j = nabla("train", "--data", csv, "--label", "species", "--model", first, "--epochs", 3,
                "--val-split", 0.2, "--out", more, "--json").json();
        List<Object> history = history(j);
        assertEquals(5, history.size(), "the saved 2 epochs and 3 more");
        Map<String, Object> last = Json.asObject(history.get(4), "epoch");
        assertEquals(5L, last.get("epoch"));
        double loss = Json.asDouble(last.get("loss"), "loss");
        assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
        assertEquals(5L, j.get("epochs_done"));
        assertEquals(first.toString(), j.get("continued_from"));
        assertArrayEquals(firstBytes, Files.readAllBytes(first), "the continued model file is not touched");

        Map<String, Object> info = nabla("info", "--model", more, "--json").json();
        assertEquals(5L, info.get("epochs"));
        Map<String, Object> firstInfo = nabla("info", "--model", first, "--json").json();
        assertEquals(firstInfo.get("architecture"), info.get("architecture"), "the architecture stays the model's");
        assertEquals(firstInfo.get("network"), info.get("network"));
        assertTrue(Json.asLong(info.get("steps"), "steps") > Json.asLong(firstInfo.get("steps"), "steps"), "the optimizer went on");
    }

    @Test
    void twoPlusTwoEpochsEqualFour() throws Exception {
        Path four = dir.resolve("four.nabla");
        Map<String, Object> straight = nabla("train", "--data", csv, "--label", "species", "--arch", "dense:16:relu,dropout:0.1",
                "--epochs", 4, "--val-split", 0.2, "--out", four, "--json").json();
        Path resumed = dir.resolve("resumed.nabla");
        Map<String, Object> continued = nabla("train", "--data", csv, "--label", "species", "--model", first, "--epochs", 2,
                "--val-split", 0.2, "--out", resumed, "--json").json();
        assertEquals(history(straight), history(continued), "same losses and accuracies, epoch by epoch");
        Map<String, Object> a = nabla("predict", "--model", four, csvTest, "--json", "--top", 3).json();
        Map<String, Object> b = nabla("predict", "--model", resumed, csvTest, "--json", "--top", 3).json();
        assertEquals(a.get("predictions"), b.get("predictions"));
    }

    @Test
    void theContinuedModelIsNeverReplaced() throws Exception {
        Path model = dir.resolve("in-place.nabla");
        Files.write(model, firstBytes);
        nabla("train", "--data", csv, "--label", "species", "--model", model, "--epochs", 1, "--out", model)
                .assertUsageError("--out", "is the --model file");
        assertArrayEquals(firstBytes, Files.readAllBytes(model), "the input model is untouched");
    }

    @Test
    void continuesAGraphModelTrainedFromAnArchitectureFile() throws Exception {
        Path images = CliTestSupport.imageFolder(dir, "stripes", 6, 4);
        Path arch = Files.writeString(dir.resolve("arch.json"), ArchitectureFilesTest.ISSUE_EXAMPLE);
        Path model = dir.resolve("residual.nabla");
        nabla("train", "--data", images, "--arch", "@" + arch, "--epochs", 1, "--out", model, "--json").json();
        Path more = dir.resolve("residual-more.nabla");
        Map<String, Object> j = nabla("train", "--data", images, "--model", model, "--epochs", 1, "--out", more, "--json").json();
        assertEquals(2, history(j).size());
        assertEquals(Json.parse(ArchitectureFilesTest.ISSUE_EXAMPLE), nabla("info", "--model", more, "--json").json().get("architecture"));
    }

    /** Continues {@code first} with these extra arguments, expecting a usage error and no model file. */
    private static void continueFails(Object[] args, String... mentions) throws Exception {
        Path out = dir.resolve("never.nabla");
        Object[] all = new Object[args.length + 7];
        all[0] = "train";
        all[1] = "--model";
        all[2] = first;
        all[3] = "--out";
        all[4] = out;
        all[5] = "--epochs";
        all[6] = 1;
        System.arraycopy(args, 0, all, 7, args.length);
        nabla(all).assertUsageError(mentions);
        assertFalse(Files.exists(out), "no model file after an error");
        assertArrayEquals(firstBytes, Files.readAllBytes(first));
    }

    @Test
    void whatCannotChangeWhenContinuing() throws Exception {
        continueFails(new Object[]{"--data", csv, "--label", "species", "--arch", "dense:4"}, "--arch", "--model");
        continueFails(new Object[]{"--data", csv, "--label", "species", "--loss", "mse"}, "--loss mse", "cross-entropy");
        continueFails(new Object[]{"--data", csv, "--label", "species", "--optimizer", "sgd"}, "--optimizer sgd", "adam");
        continueFails(new Object[]{"--data", csv, "--label", "a"}, "--label a", "species");
    }

    @Test
    void dataThatDoesNotFitTheModel() throws Exception {
        Path images = CliTestSupport.imageFolder(dir, "other-images", 2, 5);
        continueFails(new Object[]{"--data", images}, images.toString(), "table");
        Path fewer = Files.writeString(dir.resolve("fewer.csv"), "a,b,species\n1,2,setosa\n3,4,virginica\n5,6,setosa\n7,8,virginica\n");
        continueFails(new Object[]{"--data", fewer, "--val-split", 0}, "fewer.csv");
        Path unknownClass = Files.writeString(dir.resolve("new-class.csv"),
                "a,b,species,c,d\n1,2,setosa,3,4\n1,2,rosa,3,4\n1,2,setosa,3,4\n1,2,rosa,3,4\n");
        continueFails(new Object[]{"--data", unknownClass, "--val-split", 0}, "new-class.csv", "rosa");
    }

    @Test
    void nothingIsEverLost() throws Exception {
        byte[] data = Files.readAllBytes(csv);
        nabla("train", "--data", csv, "--label", "species", "--out", csv).assertUsageError("--out", "--data", "overwritten");
        nabla("train", "--data", csv, "--label", "species", "--test", csvTest, "--out", csvTest)
                .assertUsageError("--out", "--test", "overwritten");
        // a model file that happens to end in .png: the plot would replace it
        Path pngModel = dir.resolve("model.png");
        Files.write(pngModel, firstBytes);
        nabla("train", "--data", csv, "--label", "species", "--model", pngModel, "--out", dir.resolve("x.nabla"), "--plot", pngModel)
                .assertUsageError("--plot", "--model", "overwritten");
        assertArrayEquals(data, Files.readAllBytes(csv));
        assertArrayEquals(firstBytes, Files.readAllBytes(pngModel));
        assertFalse(Files.exists(dir.resolve("x.nabla")));
    }
}
