package dev.nabla.dataset;

import dev.nabla.train.BatchTransform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches of a data set, epoch after epoch (PyTorch's {@code DataLoader}): a seeded permutation of a
 * {@link Dataset} (or a {@link StreamDataset} through a shuffle buffer) cut into batches, each built (read, decoded,
 * stacked, augmented) on one of {@code workers} threads. At most {@code prefetch} batches are built or waiting
 * ahead of the one handed out, so memory is bounded by the prefetch depth; a slow consumer holds the workers back.
 * Batches come out in order, so the same seed gives the same batches whatever the thread count. An error while
 * building a batch (a corrupt image) ends the epoch with that error, naming the file.
 *
 * <pre>{@code
 * try (DataLoader loader = DataLoader.of(dataset, DataLoader.Options.of(64).seed(7).workers(4))) {
 *     try (DataLoader.Batches epoch = loader.epoch(1)) {
 *         for (Batch b = epoch.next(); b != null; b = epoch.next()) { ... }
 *     }
 * }
 * }</pre>
 */
public final class DataLoader implements AutoCloseable {

    /**
     * How a loader batches.
     *
     * @param batchSize     examples per batch (the last batch of an epoch may be smaller)
     * @param shuffle       visit the examples in a new seeded order each epoch
     * @param seed          the seed of the orders and of the transform's draws
     * @param workers       threads building batches; 0 builds them on the caller's thread; -1: the data set's
     *                      {@code suggestedWorkers()}
     * @param prefetch      batches built ahead of the consumer, at least 1
     * @param shuffleBuffer records a stream is shuffled through (see {@link ShuffleBuffer})
     * @param transform     applied to each batch's first input on the worker (augmentation), or null
     */
    public record Options(int batchSize, boolean shuffle, long seed, int workers, int prefetch, int shuffleBuffer,
                          BatchTransform transform) {

        public Options {
            if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            if (workers < -1) throw new IllegalArgumentException("workers must be at least 0 (or -1 for the default), got " + workers);
            if (prefetch < 1) throw new IllegalArgumentException("prefetch must be at least 1 batch, got " + prefetch);
            if (shuffleBuffer < 1) throw new IllegalArgumentException("shuffle buffer must hold at least 1 record, got " + shuffleBuffer);
        }

        /** Batches of {@code batchSize}, shuffled with seed 0, the data set's workers, twice as many batches prefetched, a shuffle buffer of 64 batches. */
        public static Options of(int batchSize) {
            return new Options(batchSize, true, 0, -1, DEFAULT_PREFETCH, 64 * batchSize, null);
        }

        public Options seed(long value) {
            return new Options(batchSize, shuffle, value, workers, prefetch, shuffleBuffer, transform);
        }

        public Options shuffle(boolean value) {
            return new Options(batchSize, value, seed, workers, prefetch, shuffleBuffer, transform);
        }

        public Options workers(int value) {
            return new Options(batchSize, shuffle, seed, value, prefetch, shuffleBuffer, transform);
        }

        public Options prefetch(int value) {
            return new Options(batchSize, shuffle, seed, workers, value, shuffleBuffer, transform);
        }

        public Options shuffleBuffer(int value) {
            return new Options(batchSize, shuffle, seed, workers, prefetch, value, transform);
        }

        public Options transform(BatchTransform value) {
            return new Options(batchSize, shuffle, seed, workers, prefetch, shuffleBuffer, value);
        }
    }

    /** Batches prefetched by default when the fit does not say: enough to keep a few workers busy. */
    public static final int DEFAULT_PREFETCH = 2;

    /** One epoch's batches, in order. */
    public interface Batches extends AutoCloseable {
        /** The next batch, or null after the last; an error of the batch's data as an IOException. */
        Batch next() throws IOException;

        /** Stops building batches ahead. */
        @Override
        void close();
    }

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Dataset dataset;
    private final StreamDataset stream;
    /** The whole stream when {@link #stream} is one rank's shard of it, else the stream itself. */
    private final StreamDataset wholeStream;
    private final int rank;
    private final int worldSize;
    private final Options options;
    private final int workerCount;
    private final ExecutorService workers;
    private final ExecutorService reader;

    private DataLoader(Dataset dataset, StreamDataset stream, Options options, int suggested, int rank, int worldSize) {
        DatasetShard.checkRank(rank, worldSize);
        this.dataset = dataset;
        this.wholeStream = stream;
        this.stream = stream == null || worldSize == 1 ? stream : stream.shard(rank, worldSize);
        this.rank = rank;
        this.worldSize = worldSize;
        this.options = options;
        this.workerCount = options.workers() < 0 ? Math.max(1, suggested) : options.workers();
        int pool = POOLS.incrementAndGet();
        this.workers = workerCount == 0 ? null : Executors.newFixedThreadPool(workerCount, daemon("nabla-data-worker-" + pool));
        this.reader = stream == null ? null : Executors.newSingleThreadExecutor(daemon("nabla-data-reader-" + pool));
    }

    /** A loader of a random-access data set. */
    public static DataLoader of(Dataset dataset, Options options) {
        return new DataLoader(dataset, null, options, dataset.suggestedWorkers(), 0, 1);
    }

    /** A loader of a stream. */
    public static DataLoader of(StreamDataset stream, Options options) {
        return new DataLoader(null, stream, options, stream.suggestedWorkers(), 0, 1);
    }

    /**
     * Rank {@code rank}'s loader of a data set shared by {@code worldSize} ranks (PyTorch's
     * {@code DistributedSampler}): every rank draws the same permutation of the whole data set each epoch and reads
     * positions {@code rank, rank + worldSize, ...} of it, so the ranks' shards are disjoint, hold every example once,
     * differ in size by at most one, and batch {@code b} of all ranks together is batch {@code b} of one loader of
     * {@code worldSize} times the batch size (without shuffling, the shard is {@link Dataset#shard}).
     */
    public static DataLoader shard(Dataset dataset, Options options, int rank, int worldSize) {
        return new DataLoader(dataset, null, options, dataset.suggestedWorkers(), rank, worldSize);
    }

    /**
     * Rank {@code rank}'s loader of a stream shared by {@code worldSize} ranks: its {@link StreamDataset#shard}
     * (records {@code rank, rank + worldSize, ...} of each pass), shuffled through this rank's own buffer.
     */
    public static DataLoader shard(StreamDataset stream, Options options, int rank, int worldSize) {
        return new DataLoader(null, stream, options, stream.suggestedWorkers(), rank, worldSize);
    }

    /** The threads building batches (0: the caller's). */
    public int workers() {
        return workerCount;
    }

    public Options options() {
        return options;
    }

    /** The shape of the examples. */
    public ExampleSpec spec() {
        return dataset != null ? dataset.spec() : stream.spec();
    }

    /** Examples per epoch (of this rank's shard), or -1 when the stream does not know. */
    public long samples() {
        if (dataset == null) return stream.size();
        int n = dataset.size();
        return n <= rank ? 0 : (n - rank + worldSize - 1) / worldSize;
    }

    /** Examples per epoch of all the ranks' shards together (the whole data set), or -1 when the stream does not know. */
    public long totalSamples() {
        return dataset != null ? dataset.size() : wholeStream.size();
    }

    /** Batches per epoch, or -1 when the stream does not know. */
    public int batches() {
        long n = samples();
        return n < 0 ? -1 : (int) ((n + options.batchSize() - 1) / options.batchSize());
    }

    /** The first example alone as a batch, read on the caller's thread (e.g. to create a network's lazy weights). */
    public Batch first() throws IOException {
        if (dataset != null) {
            if (dataset.size() == 0) throw new IllegalArgumentException("the data set is empty");
            return dataset.batch(new int[]{0});
        }
        // of the whole stream: a rank whose shard is empty still builds the same network
        try (StreamDataset.Records records = wholeStream.open()) {
            StreamDataset.Record r = records.next();
            if (r == null) throw new IllegalArgumentException("the data set is empty");
            return wholeStream.spec().stack(List.of(r.decode()));
        }
    }

    /** The batches of {@code epoch} (counted from 1; it seeds the order and the transform). */
    public Batches epoch(int epoch) throws IOException {
        return new PrefetchWindow(dataset != null ? new Indexed(epoch) : new Streamed(epoch), options.prefetch());
    }

    @Override
    public void close() {
        if (workers != null) workers.shutdownNow();
        if (reader != null) reader.shutdown();   // its queued close of the records still runs
    }

    private Executor workerExecutor() {
        return workers == null ? Runnable::run : workers;
    }

    private Batch transformed(Batch b, int epoch, long start) {
        if (options.transform() == null) return b;
        // the ranks' batches of the same start draw apart
        long draw = worldSize == 1 ? start : start * worldSize + rank;
        return b.withInput(options.transform().apply(b.input(), Shuffle.batchRandom(options.seed(), epoch, draw)));
    }

    /** The batches of a random-access data set: consecutive pieces of the epoch's permutation. */
    private final class Indexed implements PrefetchWindow.Source {
        private final int epoch;
        private final int[] order;
        private int next;

        Indexed(int epoch) {
            this.epoch = epoch;
            int[] all = options.shuffle() ? Shuffle.permutation(dataset.size(), options.seed(), epoch) : null;
            this.order = worldSize == 1 ? all : rankPositions(all);
        }

        /** This rank's positions of the epoch's order ({@code all}; null: in order). */
        private int[] rankPositions(int[] all) {
            int[] mine = new int[(int) samples()];
            for (int i = 0; i < mine.length; i++) {
                int at = rank + i * worldSize;
                mine[i] = all == null ? at : all[at];
            }
            return mine;
        }

        @Override
        public CompletableFuture<Batch> submitNext() {
            int n = (int) samples();
            int start = next * options.batchSize();
            if (start >= n) return null;
            next++;
            int end = Math.min(n, start + options.batchSize());
            int[] idx = order != null ? Arrays.copyOfRange(order, start, end) : range(start, end);
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return transformed(dataset.batch(idx), epoch, start);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, workerExecutor());
        }

        @Override
        public void close() {
        }
    }

    /** The batches of a stream: records read in order on the reader thread, decoded and stacked on the workers. */
    private final class Streamed implements PrefetchWindow.Source {
        private final int epoch;
        private final StreamDataset.Records records;
        private long start;
        private volatile boolean exhausted;

        Streamed(int epoch) throws IOException {
            this.epoch = epoch;
            StreamDataset.Records opened = stream.open();
            this.records = options.shuffle()
                    ? new ShuffleBuffer(opened, options.shuffleBuffer(), Shuffle.streamRandom(options.seed(), epoch)) : opened;
        }

        @Override
        public CompletableFuture<Batch> submitNext() {
            if (exhausted) return null;
            long first = start;
            start += options.batchSize();
            return CompletableFuture.supplyAsync(this::read, reader).thenApplyAsync(batch -> {
                if (batch.isEmpty()) return null;
                List<Example> examples = new ArrayList<>(batch.size());
                try {
                    for (StreamDataset.Record r : batch) examples.add(r.decode());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return transformed(stream.spec().stack(examples), epoch, first);
            }, workerExecutor());
        }

        private List<StreamDataset.Record> read() {
            List<StreamDataset.Record> batch = new ArrayList<>(options.batchSize());
            try {
                while (batch.size() < options.batchSize()) {
                    StreamDataset.Record r = exhausted ? null : records.next();
                    if (r == null) {
                        exhausted = true;
                        break;
                    }
                    batch.add(r);
                }
            } catch (IOException e) {
                exhausted = true;
                throw new UncheckedIOException(e);
            }
            return batch;
        }

        @Override
        public void close() {
            Runnable closing = () -> {
                try {
                    records.close();
                } catch (IOException e) {
                    // a pass that ends early: nothing more is read from it
                }
            };
            try {
                // after the reads already queued, on the thread that reads
                reader.execute(closing);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closing.run();   // the loader is closed: no read is running
            }
        }
    }

    private static int[] range(int start, int end) {
        int[] idx = new int[end - start];
        for (int i = 0; i < idx.length; i++) idx[i] = start + i;
        return idx;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
