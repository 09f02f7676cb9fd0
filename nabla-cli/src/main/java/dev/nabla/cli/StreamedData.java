package dev.nabla.cli;

import dev.nabla.data.DataOptions;
import dev.nabla.data.HeapLimit;
import dev.nabla.data.StreamSplit;
import dev.nabla.data.TableSource;
import dev.nabla.data.TableStream;
import dev.nabla.dataset.StreamDataset;
import dev.nabla.data.ImageFolderDataset;
import dev.nabla.data.Preprocessing;
import dev.nabla.data.Split;
import dev.nabla.dataset.DataLoader;
import dev.nabla.dataset.Dataset;
import dev.nabla.train.FitOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * When and how {@code nabla train} streams its data instead of loading it whole: when {@code --stream} says so, or
 * when the decoded data would not fit in the JVM's heap ({@link HeapLimit#fits}: the whole set and the copy the
 * split makes, in 80% of {@code -Xmx}). Streamed images are decoded batch by batch on the loader's worker threads.
 * The validation part is the same as in memory ({@link Split#indices} of the same folder), so {@code --stream}
 * trains the model that loading the folder whole does, bit for bit. Streamed tables ({@link TableStream}) hold out
 * evenly spaced rows instead ({@link StreamSplit}), as a stream cannot draw a random sample without a list of rows.
 * Text folders are {@link StreamedTexts}'.
 */
final class StreamedData {

    /** Copies of the data alive at once when it is loaded whole: the data, and the parts the split copies out. */
    static final int COPIES_IN_MEMORY = 2;

    private StreamedData() {
    }

    /** The summary's line when {@code all} is to be streamed (forced by {@code --stream}, or too large), else null. */
    static String reason(ImageFolderDataset all, boolean forced, int batchSize) {
        boolean fits = HeapLimit.fits(all.decodedBytes(), COPIES_IN_MEMORY);
        if (!forced && fits) return null;
        DataLoader.Options loader = new FitOptions().loaderOptions(batchSize, all.suggestedWorkers());
        String why = forced && fits ? "--stream"
                : String.format(Locale.ROOT, "loaded whole, the pixels and the split's copy of them would need about %,d MiB, "
                        + "more than this JVM's %,d MiB heap can spare; NABLA_JAVA_OPTS=-Xmx... gives it more",
                (all.decodedBytes() * COPIES_IN_MEMORY) >> 20, HeapLimit.maxHeap() >> 20);
        return String.format(Locale.ROOT, "Streaming %,d images from %s (%s): decoded batch by batch on %d worker thread%s, "
                        + "at most %d batches ahead", all.size(), Printable.of(all.root().toString()), why, loader.workers(),
                loader.workers() == 1 ? "" : "s", loader.prefetch());
    }

    /**
     * The parts of a streamed image folder: training and validation as {@link Split#indices} splits it, and the
     * {@code test} folder (or null) read with the same preprocessing.
     */
    static TrainingData split(ImageFolderDataset all, Path test, double validationSplit, long seed, String reason) throws IOException {
        int[][] parts;
        try {
            parts = Split.indices(all.size(), validationSplit, seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--val-split " + validationSplit + " with " + all.root() + ": " + Errors.oneLine(e.getMessage()), e);
        }
        Dataset train = parts[1].length == 0 ? all : all.subset(parts[0]);
        Dataset validation = parts[1].length == 0 ? null : all.subset(parts[1]);
        Preprocessing p = all.preprocessing();
        Dataset testSet = test == null ? null : ImageFolderDataset.openWith(test, p);
        return new TrainingData(null, null, null, p, null, StreamedParts.of(p, train, validation, testSet, reason));
    }

    /**
     * The batch size of streamed validation and test data: the {@value Evaluation#BATCH_SIZE} of data in memory
     * (so that the scores are the same, to the last bit) where such a batch of decoded samples takes at most 1/16
     * of the heap, else as many as do, and never fewer than the training batches.
     */
    static int evaluationBatch(int[] sampleShape, int batchSize) {
        long perSample = 4L * dev.nabla.tensor.Shape.size(sampleShape);
        long fit = HeapLimit.maxHeap() / 16 / Math.max(1, perSample);
        return (int) Math.max(batchSize, Math.min(Evaluation.BATCH_SIZE, fit));
    }

    /** {@code --stream} for data that is not streamed yet: an error naming what is. */
    static UsageException notStreamed(Path data, String kind) {
        return new UsageException("--stream: only folders of images or texts and tables (CSV, Parquet, JDBC) are streamed so far, but "
                + Printable.of(data.toString()) + " is " + kind + "; leave --stream out to load it whole");
    }

    /**
     * Bytes a table of {@code rows} rows and {@code columns} feature columns takes loaded whole: per cell the compact
     * column profile (5 bytes), the encoded value and the split's copy of it (4 + 4); per row the label's text
     * (about 64 bytes) and its class or value.
     */
    static long tableBytes(long rows, int columns) {
        return rows * (13L * columns + 72);
    }

    /**
     * The summary's line when the table {@code source} is to be streamed (forced by {@code --stream}, or too large
     * for the heap by {@link #tableBytes}), else null. A source that cannot say its size (a query) is loaded whole
     * unless {@code --stream} says otherwise.
     */
    static String tableReason(TableSource source, boolean forced) throws IOException {
        long rows = source.estimatedRows();
        int columns = 0;
        if (rows > 0) {
            try (var r = source.open()) {
                columns = Math.max(1, r.header().size() - 1);
            }
        }
        long bytes = rows < 0 ? -1 : tableBytes(rows, columns);
        boolean fits = bytes < 0 || HeapLimit.fits(bytes, 1);
        if (!forced && fits) return null;
        return forced && fits ? "--stream"
                : String.format(Locale.ROOT, "loaded whole, its about %,d rows would need about %,d MiB, more than this JVM's"
                + " %,d MiB heap can spare; NABLA_JAVA_OPTS=-Xmx... gives it more", rows, bytes >> 20, HeapLimit.maxHeap() >> 20);
    }

    /**
     * A streamed table: its statistics read first (exact medians included), then the training rows and
     * {@link StreamSplit}'s validation rows read again every epoch, and {@code test} (or null) with the same encoders.
     */
    static TrainingData splitTable(TableSource source, TableSource test, DataOptions options, double validationSplit,
                                   String why) throws IOException {
        TableStream t;
        try {
            t = TableStream.fit(source, options, validationSplit);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--val-split " + validationSplit + " with " + Printable.of(source.name()) + ": "
                    + Errors.oneLine(e.getMessage()), e);
        }
        Preprocessing p = t.preprocessing();
        StreamDataset testRows = test == null ? null : TableStream.labelled(test, p);
        String reason = String.format(Locale.ROOT, "Streaming %,d rows from %s (%s): read again every epoch, a row at a time,"
                        + " shuffled through a buffer; validation: every %s row (%,d rows), not a random sample",
                t.rows(), Printable.of(source.name()), why, validationSplit == 0 ? "no" : ordinal(validationSplit),
                t.validation() == null ? 0 : t.validation().size());
        return new TrainingData(null, null, null, p, null, StreamedParts.of(p, t.train(), t.validation(), testRows, reason));
    }

    /** "5th" for 0.2: the spacing of {@link StreamSplit}'s rows, in words. */
    private static String ordinal(double fraction) {
        double k = 1 / fraction;
        if (Math.abs(k - Math.rint(k)) < 1e-9) {
            long n = Math.round(k);
            String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : switch ((int) (n % 10)) {
                case 1 -> "st";
                case 2 -> "nd";
                case 3 -> "rd";
                default -> "th";
            };
            return n + suffix;
        }
        return String.format(Locale.ROOT, "%.3g-th", k);
    }
}
