package dev.nabla.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CSV table whose values, decoded to floats (63 MiB), are three times the JVM's heap (20 MiB), and the file itself
 * larger than the heap, trains from the command line through the {@code nabla} launcher with
 * {@code NABLA_JAVA_OPTS=-Xmx20m}: the table is streamed by itself (read for its statistics, then again every epoch)
 * and the garbage collector's log shows the heap after each full collection staying well below it (see
 * {@link LargerThanHeapTest}, the same for an image folder).
 */
class LargerThanHeapTableTest {

    static final int ROWS = 320_000;
    static final int COLUMNS = 52;
    static final int HEAP_MIB = 20;

    @TempDir
    Path dir;

    @Test
    void trainsOnACsvTableThreeTimesTheHeap() throws Exception {
        Path data = dir.resolve("large.csv");
        write(data);
        long decoded = 4L * ROWS * COLUMNS;
        assertTrue(decoded > 3L * HEAP_MIB << 20, "the decoded values are over 3 times the heap: " + (decoded >> 20) + " MiB");
        assertTrue(Files.size(data) > (long) HEAP_MIB << 20, "and the file is larger than the heap: " + (Files.size(data) >> 20) + " MiB");

        BoundedHeapTraining run = BoundedHeapTraining.train(dir, HEAP_MIB, List.of("--data", data.toString(),
                "--arch", "dense:8:relu", "--epochs", "1", "--batch-size", "256", "--val-split", "0.1",
                "--threads", "2", "--out", dir.resolve("large.nabla").toString()));
        assertEquals(true, run.json().get("streamed"));
        // every 10th row held out: 32,000 of 320,000
        assertEquals(288_000L, run.json().get("train_samples"));
        assertEquals(32_000L, run.json().get("validation_samples"));
        assertTrue(run.stderr().contains("Streaming 320,000 rows from " + data + " (loaded whole"), run.stderr());
        double valAccuracy = run.firstValAccuracy();
        assertTrue(valAccuracy >= 0.9, "it learned the rule: " + valAccuracy);

        long live = run.live();
        long maxCapacity = run.capacity();
        int collections = run.collections();
        assertTrue(collections >= 5, "collections while the rows passed through: " + collections);
        assertTrue(maxCapacity <= (long) HEAP_MIB << 20, "heap within -Xmx: " + (maxCapacity >> 20) + " MiB");
        assertTrue(live <= 14L << 20, "live heap stays bounded: at most " + (live >> 20) + " MiB after a collection");
    }

    /** Digits 0-9 in every column; the label is 1 when the first two add up to more than 9. */
    static void write(Path file) throws IOException {
        SplittableRandom rng = new SplittableRandom(5);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < COLUMNS; c++) b.append('f').append(c).append(',');
            w.append(b).append("label\n");
            char[] row = new char[2 * COLUMNS + 2];
            for (int i = 0; i < ROWS; i++) {
                int first = 0;
                for (int c = 0; c < COLUMNS; c++) {
                    int d = rng.nextInt(10);
                    if (c < 2) first += d;
                    row[2 * c] = (char) ('0' + d);
                    row[2 * c + 1] = ',';
                }
                row[2 * COLUMNS] = first > 9 ? '1' : '0';
                row[2 * COLUMNS + 1] = '\n';
                w.write(row);
            }
        }
    }
}
