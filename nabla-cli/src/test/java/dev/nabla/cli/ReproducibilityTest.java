package dev.nabla.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The same command twice writes the same model file, byte for byte (key order, zip entries, weights). */
class ReproducibilityTest {

    @TempDir
    Path dir;

    @Test
    void identicalRunsWriteIdenticalModelFiles() throws Exception {
        Path csv = CliTestSupport.classificationCsv(dir, "iris.csv", 60, 4, true);
        byte[][] files = new byte[3][];
        String[] threads = {"2", "2", "1"};
        for (int i = 0; i < 3; i++) {
            Path out = dir.resolve("m" + i + ".nabla");
            assertEquals(0, nabla("train", "--data", csv, "--label", "species", "--epochs", 3, "--loss", "cross-entropy",
                    "--optimizer", "adamw", "--threads", threads[i], "--out", out).code());
            files[i] = Files.readAllBytes(out);
        }
        assertArrayEquals(files[0], files[1], "two identical runs");
        assertArrayEquals(files[0], files[2], "a table model on 1 thread and on 2");
    }
}
