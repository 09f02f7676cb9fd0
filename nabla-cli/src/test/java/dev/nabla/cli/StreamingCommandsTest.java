package dev.nabla.cli;

import dev.nabla.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nabla train --stream}: image folders read batch by batch train the model that loading them whole does. */
class StreamingCommandsTest {

    @TempDir
    Path dir;

    @Test
    void streamingWritesTheModelThatLoadingWholeDoes() throws Exception {
        Path images = CliTestSupport.imageFolder(dir, "stripes", 20, 1);
        Object[] common = {"train", "--data", images, "--test", images, "--arch", "conv:4:3:relu,maxpool,dense:16:relu",
                "--epochs", 3, "--batch-size", 8, "--val-split", 0.2, "--augment", "shift:1", "--json"};
        CliTestSupport.Run whole = nabla(with(common, "--out", dir.resolve("whole.nabla")));
        CliTestSupport.Run streamed = nabla(with(common, "--out", dir.resolve("streamed.nabla"), "--stream"));
        Map<String, Object> a = whole.json();
        Map<String, Object> b = streamed.json();
        assertEquals(false, a.get("streamed"));
        assertEquals(true, b.get("streamed"));
        assertFalse(whole.err().contains("Streaming"), whole.err());
        assertTrue(streamed.err().contains("Streaming 40 images from " + images + " (--stream): decoded batch by batch on "),
                streamed.err());
        assertEquals(a.get("history"), b.get("history"), "the same split, order and augmentation: the same epochs");
        assertEquals(a.get("test"), b.get("test"));
        assertEquals(32L, b.get("train_samples"));
        assertEquals(8L, b.get("validation_samples"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("whole.nabla")), Files.readAllBytes(dir.resolve("streamed.nabla")),
                "the same model file, byte for byte");

        // continued with --stream: the saved model's preprocessing reads the folder
        CliTestSupport.Run more = nabla("train", "--data", images, "--model", dir.resolve("streamed.nabla"), "--epochs", 1,
                "--stream", "--out", dir.resolve("more.nabla"), "--json");
        assertEquals(true, more.json().get("streamed"));
        assertEquals(4L, more.json().get("epochs_done"));
    }

    @Test
    void aCorruptImageFoundWhileStreamingIsOneErrorNamingIt() throws Exception {
        Path images = CliTestSupport.imageFolder(dir, "stripes", 20, 2);
        Path broken = images.resolve("stripes-v/007.png");
        byte[] png = Files.readAllBytes(broken);
        // the header still reads (the folder is opened), the pixel data does not (the worker decoding it fails)
        Arrays.fill(png, 41, png.length - 12, (byte) 0x55);
        Files.write(broken, png);
        Path out = dir.resolve("never.nabla");
        CliTestSupport.Run r = nabla("train", "--data", images, "--arch", "dense:8:relu", "--epochs", 2, "--stream",
                "--out", out);
        r.assertUsageErrorAfterProgress(broken.toString());
        assertFalse(Files.exists(out), "no model written");
    }

    @Test
    void aCsvTableStreamsWithEveryTenthRowHeldOut() throws Exception {
        Path csv = CliTestSupport.classificationCsv(dir, "iris.csv", 300, 1, true);
        CliTestSupport.Run r = nabla("train", "--data", csv, "--label", "species", "--stream", "--epochs", 10, "--lr", "0.05",
                "--arch", "dense:8:relu", "--out", dir.resolve("t.nabla"), "--json");
        assertEquals(0, r.code(), r::err);
        assertTrue(r.err().contains("Streaming 300 rows from " + csv + " (--stream): read again every epoch, a row at a time,"
                + " shuffled through a buffer; validation: every 10th row (30 rows), not a random sample"), r.err());
        Map<String, Object> json = Json.asObject(Json.parse(r.lastLine()), "stdout");
        assertEquals(true, json.get("streamed"));
        assertEquals(270L, json.get("train_samples"));
        assertEquals(30L, json.get("validation_samples"));
        // three well separated classes
        List<Object> history = Json.asArray(json.get("history"), "history");
        double valAccuracy = Json.asDouble(Json.asObject(history.get(history.size() - 1), "epoch").get("val_accuracy"), "val_accuracy");
        assertTrue(valAccuracy >= 0.9, "val_accuracy " + valAccuracy);
    }

    @Test
    void aBadRowOfAStreamedTestTableNamesTheFileAndLine() throws Exception {
        Path csv = CliTestSupport.classificationCsv(dir, "iris.csv", 60, 1, true);
        Path test = dir.resolve("test.csv");
        Files.writeString(test, "a,b,species,c,d\n1,2,setosa,3,4\n1,x,setosa,3,4\n");
        Path out = dir.resolve("never.nabla");
        nabla("train", "--data", csv, "--label", "species", "--stream", "--epochs", 1, "--test", test, "--out", out)
                .assertUsageErrorAfterProgress(test + " line 3, column 'b': 'x' is not a number");
        assertFalse(Files.exists(out), "no model written");
    }

    @Test
    void dataThatIsNotStreamedYetIsRefusedByName() throws Exception {
        Path csv = CliTestSupport.classificationCsv(dir, "iris.csv", 30, 1, true);
        nabla("train", "--data", csv, "--label", "species", "--text-column", "a", "--stream", "--out", dir.resolve("t.nabla"))
                .assertUsageError("--stream", "only folders of images or texts and tables (CSV, Parquet, JDBC) are streamed so far",
                        "a CSV file of texts");
    }

    private static Object[] with(Object[] base, Object... more) {
        Object[] out = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }
}
