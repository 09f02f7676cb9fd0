package dev.nabla.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A folder of texts larger than the JVM's heap (24 MiB of files, 20 MiB heap) trains from the command line through
 * the {@code nabla} launcher with {@code NABLA_JAVA_OPTS=-Xmx20m}: the folder is streamed by itself (the tokenizer
 * fitted in one pass over the training files, then files read and encoded per batch) and the garbage collector's log
 * shows the heap after each collection staying well below it (see {@link LargerThanHeapTableTest}).
 */
class LargerThanHeapTextTest {

    static final int PER_CLASS = 1200;
    static final int WORDS_PER_TEXT = 1700;
    static final int HEAP_MIB = 20;
    private static final String[] COMMON = "the a film movie was it and this of plot acting story".split(" ");
    private static final String[] GOOD = "great superb moving brilliant".split(" ");
    private static final String[] BAD = "dull awful boring clumsy".split(" ");

    @TempDir
    Path dir;

    @Test
    void trainsOnATextFolderLargerThanTheHeap() throws Exception {
        Path data = dir.resolve("reviews");
        long bytes = write(data);
        assertTrue(bytes > (long) HEAP_MIB << 20, "the files are larger than the heap: " + (bytes >> 20) + " MiB");

        BoundedHeapTraining run = BoundedHeapTraining.train(dir, HEAP_MIB, List.of("--data", data.toString(),
                "--arch", "embedding:16,globalavgpool1d", "--max-length", "64", "--epochs", "1", "--lr", "0.01", "--batch-size", "64",
                "--val-split", "0.1", "--threads", "2", "--out", dir.resolve("large.nabla").toString()));
        assertEquals(true, run.json().get("streamed"));
        assertEquals(2160L, run.json().get("train_samples"));
        assertEquals(240L, run.json().get("validation_samples"));
        assertTrue(run.stderr().contains("Streaming 2,400 texts from " + data + " (loaded whole, the texts and their token ids would need about"), run.stderr());
        double valAccuracy = run.firstValAccuracy();
        assertTrue(valAccuracy >= 0.9, "each class has its own words (guessing: 0.5): " + valAccuracy);

        long live = run.live();
        long maxCapacity = run.capacity();
        int collections = run.collections();
        assertTrue(collections >= 5, "collections while the texts passed through: " + collections);
        assertTrue(maxCapacity <= (long) HEAP_MIB << 20, "heap within -Xmx: " + (maxCapacity >> 20) + " MiB");
        assertTrue(live <= 14L << 20, "live heap stays bounded: at most " + (live >> 20) + " MiB after a collection");
    }

    /** Reviews of common words and, one word in two, words of their class only; returns the bytes written. */
    private static long write(Path root) throws IOException {
        SplittableRandom rng = new SplittableRandom(9);
        long total = 0;
        StringBuilder sb = new StringBuilder();
        for (String cls : List.of("bad", "good")) {
            Path d = Files.createDirectories(root.resolve(cls));
            String[] own = cls.equals("good") ? GOOD : BAD;
            for (int i = 0; i < PER_CLASS; i++) {
                sb.setLength(0);
                for (int w = 0; w < WORDS_PER_TEXT; w++) {
                    sb.append(rng.nextBoolean() ? own[rng.nextInt(own.length)] : COMMON[rng.nextInt(COMMON.length)])
                            .append(w % 12 == 11 ? ".\n" : " ");
                }
                byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
                Files.write(d.resolve(String.format(Locale.ROOT, "%04d.txt", i)), b);
                total += b.length;
            }
        }
        return total;
    }
}
