package dev.nabla.cli;

import dev.nabla.data.DataException;
import dev.nabla.data.DataSources;
import dev.nabla.data.LoadedData;
import dev.nabla.data.HeapLimit;
import dev.nabla.data.Preprocessing;
import dev.nabla.data.Split;
import dev.nabla.data.TextFolderDataset;
import dev.nabla.dataset.DataLoader;
import dev.nabla.dataset.Dataset;
import dev.nabla.dataset.TensorDataset;
import dev.nabla.text.Tokenizer;
import dev.nabla.train.FitOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A folder of texts that {@code nabla train} streams ({@link StreamedData} for the other kinds): listed first (paths
 * and labels only), the tokenizer trained by reading the training files once without keeping them, then files read
 * and encoded batch by batch on the loader's worker threads. The validation part is the one {@link Split#indices}
 * holds out in memory, as for image folders, so {@code --stream} trains the model that loading the folder whole does.
 */
final class StreamedTexts {

    private StreamedTexts() {
    }

    /**
     * Bytes a folder of {@code files} texts of {@code fileBytes} bytes takes loaded whole: the texts as strings (up to
     * 2 bytes a character), each text's path and objects (about 160 bytes), and the encoded ids of the training and
     * validation parts, 4 bytes each: {@code length} a text, or, when the length is chosen from the data (not known
     * before the tokenizer), about one token per 4 bytes of text, at most {@link Tokenizer#MAX_DEFAULT_LENGTH} a text.
     */
    static long bytes(long fileBytes, long files, int length) {
        long ids = length > 0 ? 4L * files * length : Math.min(4L * files * Tokenizer.MAX_DEFAULT_LENGTH, fileBytes + 4L * files);
        return 2 * fileBytes + 160 * files + ids;
    }

    /** The summary's line when {@code all} is to be streamed (forced by {@code --stream}, or too large), else null. */
    static String reason(TextFolderDataset all, boolean forced, int batchSize, int length) throws IOException {
        long bytes = bytes(all.fileBytes(), all.size(), length);
        boolean fits = HeapLimit.fits(bytes, 1);
        if (!forced && fits) return null;
        DataLoader.Options loader = new FitOptions().loaderOptions(batchSize, all.suggestedWorkers());
        String why = forced && fits ? "--stream"
                : String.format(Locale.ROOT, "loaded whole, the texts and their token ids would need about %,d MiB, "
                + "more than this JVM's %,d MiB heap can spare; NABLA_JAVA_OPTS=-Xmx... gives it more",
                bytes >> 20, HeapLimit.maxHeap() >> 20);
        return String.format(Locale.ROOT, "Streaming %,d texts from %s (%s): the tokenizer fitted by reading the training files"
                        + " once, then read and encoded batch by batch on %d worker thread%s, at most %d batches ahead",
                all.size(), Printable.of(all.root().toString()), why, loader.workers(), loader.workers() == 1 ? "" : "s",
                loader.prefetch());
    }

    /**
     * The parts of a streamed text folder for a new model: training and validation as {@link Split#indices} splits
     * it, the tokenizer trained on the training files, and the {@code test} folder (or null) encoded by it.
     */
    static TrainingData split(TextFolderDataset all, Path test, Tokenizer.Options options, double validationSplit, long seed,
                              String reason) throws IOException {
        int[][] parts = parts(all, validationSplit, seed);
        Tokenizer tokenizer;
        try {
            tokenizer = Tokenizer.train(all.pass(parts[0]), options);
        } catch (IllegalArgumentException e) {
            throw new DataException(all.root() + ": " + Errors.oneLine(e.getMessage()));
        }
        return parts(all.withTokenizer(tokenizer), parts, test, reason);
    }

    /** The parts of a streamed text folder for a model continued with its {@code tokenizer}. */
    static TrainingData splitWith(TextFolderDataset all, Path test, Tokenizer tokenizer, double validationSplit, long seed,
                                  String reason) throws IOException {
        return parts(all.withTokenizer(tokenizer), parts(all, validationSplit, seed), test, reason);
    }

    private static int[][] parts(TextFolderDataset all, double validationSplit, long seed) {
        try {
            return Split.indices(all.size(), validationSplit, seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--val-split " + validationSplit + " with " + all.root() + ": " + Errors.oneLine(e.getMessage()), e);
        }
    }

    private static TrainingData parts(TextFolderDataset encoded, int[][] parts, Path test, String reason) throws IOException {
        Dataset train = parts[1].length == 0 ? encoded : encoded.subset(parts[0]);
        Dataset validation = parts[1].length == 0 ? null : encoded.subset(parts[1]);
        Preprocessing p = encoded.preprocessing();
        Dataset testSet = null;
        if (test != null && Files.isDirectory(test)) {
            testSet = TextFolderDataset.openWith(test, p, encoded.tokenizer());
        } else if (test != null) {
            // a CSV file of texts: the in-memory reading, which checks its columns
            LoadedData t = DataSources.loadTextsWith(test, p, encoded.tokenizer(), true);
            testSet = new TensorDataset(t.x(), t.y());
        }
        return new TrainingData(null, null, null, p, encoded.tokenizer(), StreamedParts.of(p, train, validation, testSet, reason));
    }
}
