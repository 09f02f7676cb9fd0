package dev.nabla.cli;

import dev.nabla.data.Split;
import dev.nabla.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nabla train --stream} on a folder of texts: files read and encoded batch by batch train the in-memory model. */
class StreamedTextsCommandTest {

    @TempDir
    Path dir;

    @Test
    void aStreamedTextFolderTrainsTheModelThatLoadingItWholeDoes() throws Exception {
        Path reviews = TextCommandsTest.textFolder(dir.resolve("reviews"), 60, 1);
        Path test = TextCommandsTest.textFolder(dir.resolve("reviews-test"), 10, 2);
        Object[] common = {"train", "--data", reviews, "--test", test, "--epochs", 6, "--batch-size", 16, "--val-split", 0.25,
                "--seed", 3, "--json"};
        CliTestSupport.Run whole = nabla(with(common, "--out", dir.resolve("whole.nabla")));
        CliTestSupport.Run streamed = nabla(with(common, "--out", dir.resolve("streamed.nabla"), "--stream"));
        assertEquals(0, streamed.code(), streamed::err);
        Map<String, Object> a = whole.json();
        Map<String, Object> b = streamed.json();
        assertEquals(false, a.get("streamed"));
        assertEquals(true, b.get("streamed"));
        assertFalse(whole.err().contains("Streaming"), whole.err());
        assertTrue(streamed.err().contains("Streaming 120 texts from " + reviews + " (--stream): the tokenizer fitted by reading"
                + " the training files once, then read and encoded batch by batch on "), streamed.err());
        assertEquals(90L, b.get("train_samples"));
        assertEquals(30L, b.get("validation_samples"));
        assertEquals(a.get("text"), b.get("text"), "the same tokenizer");
        assertEquals(a.get("history"), b.get("history"), "the same split, order and encoding: the same epochs");
        assertEquals(a.get("test"), b.get("test"));
        double accuracy = Json.asDouble(Json.asObject(b.get("test"), "test").get("accuracy"), "accuracy");
        assertTrue(accuracy >= 0.9, "each class has its own words: test accuracy " + accuracy);
        assertArrayEquals(Files.readAllBytes(dir.resolve("whole.nabla")), Files.readAllBytes(dir.resolve("streamed.nabla")),
                "the same model file, byte for byte");

        // continued with --stream: the saved tokenizer encodes the folder
        CliTestSupport.Run more = nabla("train", "--data", reviews, "--model", dir.resolve("streamed.nabla"), "--epochs", 1,
                "--stream", "--out", dir.resolve("more.nabla"), "--json");
        assertEquals(0, more.code(), more::err);
        assertEquals(true, more.json().get("streamed"));
        assertEquals(7L, more.json().get("epochs_done"));
    }

    @Test
    void aFileThatNoLongerDecodesWhenTrainingReadsItIsOneErrorNamingIt() throws Exception {
        Path reviews = TextCommandsTest.textFolder(dir.resolve("reviews"), 20, 1);
        // the tokenizer reads only the training files; a validation file is first read after a training epoch
        List<Path> files = new java.util.ArrayList<>();
        for (String cls : List.of("negative", "positive")) {
            for (int i = 0; i < 20; i++) files.add(reviews.resolve(cls).resolve(String.format(Locale.ROOT, "%03d.txt", i)));
        }
        Path broken = files.get(Split.indices(files.size(), 0.2, 5)[1][0]);
        Files.write(broken, new byte[]{'o', 'k', ' ', (byte) 0xC3, '(', '!'});
        Path out = dir.resolve("never.nabla");
        nabla("train", "--data", reviews, "--epochs", 2, "--val-split", 0.2, "--seed", 5, "--stream", "--out", out)
                .assertUsageErrorAfterProgress(broken.toString(), ": is not UTF-8 text (byte 0x");
        assertFalse(Files.exists(out), "no model written");
    }

    @Test
    void aCsvFileOfTextsIsStillRefusedByName() throws Exception {
        Path csv = TextCommandsTest.textCsv(dir.resolve("reviews.csv"), 20, 3);
        nabla("train", "--data", csv, "--text-column", "review", "--label", "sentiment", "--stream", "--out", dir.resolve("t.nabla"))
                .assertUsageError("--stream", "only folders of images or texts and tables (CSV, Parquet, JDBC) are streamed so far",
                        "a CSV file of texts");
    }

    private static Object[] with(Object[] base, Object... more) {
        Object[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }
}
