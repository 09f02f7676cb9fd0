package dev.nabla.dataset;

import dev.nabla.data.DataException;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** Orders, shards, the prefetch bound and errors of {@link DataLoader}. */
class DataLoaderTest {

    /** Example i has input [i] and target i. */
    static TensorDataset numbered(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return new TensorDataset(Tensor.wrap(v.clone(), n, 1), Tensor.wrap(v, n));
    }

    /** The same examples as a stream, read in order. */
    static StreamDataset asStream(Dataset d) {
        return new StreamDataset() {
            @Override
            public ExampleSpec spec() {
                return d.spec();
            }

            @Override
            public long size() {
                return d.size();
            }

            @Override
            public Records open() {
                return new Records() {
                    int next;

                    @Override
                    public Record next() {
                        if (next >= d.size()) return null;
                        int i = next++;
                        return () -> d.get(i);
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }

    /** The targets of one epoch in the order the loader gave them. */
    static int[] epochOrder(DataLoader loader, int epoch) throws IOException {
        List<Integer> seen = new ArrayList<>();
        try (DataLoader.Batches batches = loader.epoch(epoch)) {
            for (Batch b = batches.next(); b != null; b = batches.next()) {
                for (float f : b.targets().contiguous().toArray()) seen.add((int) f);
            }
        }
        return seen.stream().mapToInt(Integer::intValue).toArray();
    }

    static void assertPermutation(int n, int[] order) {
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        int[] expected = new int[n];
        for (int i = 0; i < n; i++) expected[i] = i;
        assertArrayEquals(expected, sorted, "every example exactly once");
    }

    @Test
    void shuffleIsASeededPermutationOfEachEpoch() throws IOException {
        int n = 103;
        try (DataLoader a = DataLoader.of(numbered(n), DataLoader.Options.of(10).seed(7).workers(2));
             DataLoader b = DataLoader.of(numbered(n), DataLoader.Options.of(10).seed(7).workers(0));
             DataLoader c = DataLoader.of(numbered(n), DataLoader.Options.of(10).seed(8))) {
            int[] first = epochOrder(a, 1);
            assertPermutation(n, first);
            assertArrayEquals(Shuffle.permutation(n, 7, 1), first, "the permutation of the seed and the epoch");
            assertArrayEquals(first, epochOrder(b, 1), "the same seed: the same order, whatever the workers");
            assertFalse(Arrays.equals(first, epochOrder(a, 2)), "a new order each epoch");
            assertFalse(Arrays.equals(first, epochOrder(c, 1)), "another seed, another order");
        }
        try (DataLoader inOrder = DataLoader.of(numbered(5), DataLoader.Options.of(2).shuffle(false))) {
            assertArrayEquals(new int[]{0, 1, 2, 3, 4}, epochOrder(inOrder, 1));
        }
    }

    @Test
    void aRanksShardLoaderReadsItsPositionsOfTheWholePermutation() throws IOException {
        // 23 examples, 2 ranks of batch 4 against one loader of batch 8, same seed: batch b of rank r holds the
        // examples at positions r, r+2, ... of the one loader's batch b (PyTorch's DistributedSampler)
        int n = 23;
        try (DataLoader one = DataLoader.of(numbered(n), DataLoader.Options.of(8).seed(5));
             DataLoader r0 = DataLoader.shard(numbered(n), DataLoader.Options.of(4).seed(5), 0, 2);
             DataLoader r1 = DataLoader.shard(numbered(n), DataLoader.Options.of(4).seed(5).workers(0), 1, 2)) {
            assertEquals(12, r0.samples());
            assertEquals(11, r1.samples());
            assertEquals(23, r1.totalSamples());
            assertEquals(3, r0.batches());
            int[] whole = epochOrder(one, 2);
            int[] a = epochOrder(r0, 2);
            int[] b = epochOrder(r1, 2);
            for (int i = 0; i < a.length; i++) assertEquals(whole[2 * i], a[i], "rank 0, position " + i);
            for (int i = 0; i < b.length; i++) assertEquals(whole[2 * i + 1], b[i], "rank 1, position " + i);
            assertFalse(Arrays.equals(epochOrder(r0, 1), a), "a new order each epoch");
        }
        try (DataLoader inOrder = DataLoader.shard(numbered(5), DataLoader.Options.of(2).shuffle(false), 1, 2)) {
            assertArrayEquals(new int[]{1, 3}, epochOrder(inOrder, 1));
        }
        // a stream's rank reads every second record
        try (DataLoader s = DataLoader.shard(asStream(numbered(7)), DataLoader.Options.of(2).shuffle(false), 1, 2)) {
            assertArrayEquals(new int[]{1, 3, 5}, epochOrder(s, 1));
            assertEquals(7, s.totalSamples());
            assertEquals(0f, s.first().targets().item(), "the first example is the whole stream's");
        }
    }

    @Test
    void streamShuffleBufferGivesASeededPermutation() throws IOException {
        int n = 200;
        StreamDataset s = asStream(numbered(n));
        try (DataLoader a = DataLoader.of(s, DataLoader.Options.of(16).seed(3).shuffleBuffer(50));
             DataLoader b = DataLoader.of(s, DataLoader.Options.of(16).seed(3).shuffleBuffer(50).workers(0));
             DataLoader whole = DataLoader.of(s, DataLoader.Options.of(16).seed(3).shuffleBuffer(1000))) {
            int[] first = epochOrder(a, 1);
            assertPermutation(n, first);
            assertArrayEquals(first, epochOrder(b, 1));
            assertFalse(Arrays.equals(first, epochOrder(a, 2)));
            // a buffer of 50 moves no record more than 50 places forward: record i comes out at position >= i - 50
            for (int pos = 0; pos < n; pos++) assertTrue(first[pos] <= pos + 50, "record " + first[pos] + " at " + pos);
            assertPermutation(n, epochOrder(whole, 1));
        }
    }

    @Test
    void shardsAreDisjointAndCover() throws IOException {
        int n = 10;
        for (int world : new int[]{1, 3, 4, 11}) {
            Set<Integer> all = new HashSet<>();
            Set<Integer> streamed = new HashSet<>();
            int total = 0;
            for (int rank = 0; rank < world; rank++) {
                Dataset shard = numbered(n).shard(rank, world);
                try (DataLoader l = DataLoader.of(shard, DataLoader.Options.of(3).seed(1))) {
                    int[] order = epochOrder(l, 1);
                    assertEquals(shard.size(), order.length);
                    assertTrue(Math.abs(shard.size() - n / (double) world) < 1, "sizes differ by at most one");
                    for (int i : order) {
                        assertEquals(rank, i % world, "rank " + rank + " reads every " + world + "th example");
                        assertTrue(all.add(i), "example " + i + " in two shards");
                    }
                    total += order.length;
                }
                StreamDataset ss = asStream(numbered(n)).shard(rank, world);
                try (DataLoader l = DataLoader.of(ss, DataLoader.Options.of(3).shuffle(false))) {
                    int[] order = epochOrder(l, 1);
                    assertEquals(ss.size(), order.length);
                    for (int i : order) assertTrue(streamed.add(i) && i % world == rank);
                }
            }
            assertEquals(n, total);
            assertEquals(n, all.size(), "the shards cover the data");
            assertEquals(n, streamed.size());
        }
        assertThrows(IllegalArgumentException.class, () -> numbered(n).shard(3, 3));
    }

    /** Counts batches built and released: live = built - released. */
    static class Counting implements Dataset {
        final Dataset inner = numbered(400);
        final AtomicInteger built = new AtomicInteger();

        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public ExampleSpec spec() {
            return inner.spec();
        }

        @Override
        public Example get(int index) throws IOException {
            return inner.get(index);
        }

        @Override
        public Batch batch(int[] indices) throws IOException {
            built.incrementAndGet();
            return inner.batch(indices);
        }
    }

    @Test
    void prefetchBoundsTheLiveBatches() throws Exception {
        for (int prefetch : new int[]{1, 3}) {
            Counting data = new Counting();
            int maxLive = 0;
            int released = 0;
            try (DataLoader loader = DataLoader.of(data, DataLoader.Options.of(4).workers(4).prefetch(prefetch));
                 DataLoader.Batches batches = loader.epoch(1)) {
                for (Batch b = batches.next(); b != null; b = batches.next()) {
                    Thread.sleep(2);   // a slow training step: the workers would run ahead if nothing held them back
                    maxLive = Math.max(maxLive, data.built.get() - released);
                    released++;
                }
            }
            // the batch in use and at most `prefetch` built ahead of it
            assertEquals(prefetch + 1, maxLive, "live batches with prefetch " + prefetch);
            assertEquals(100, data.built.get());
        }
    }

    @Test
    void aFailingWorkerEndsTheEpochWithItsErrorNotAHang() {
        Dataset broken = new Counting() {
            @Override
            public Batch batch(int[] indices) throws IOException {
                for (int i : indices) if (i == 57) throw new DataException("cats/57.png: not an image in a supported format");
                return super.batch(indices);
            }
        };
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (DataLoader loader = DataLoader.of(broken, DataLoader.Options.of(8).workers(3).prefetch(4));
                 DataLoader.Batches batches = loader.epoch(1)) {
                DataException e = assertThrows(DataException.class, () -> {
                    while (batches.next() != null) {
                        // drain
                    }
                });
                assertEquals("cats/57.png: not an image in a supported format", e.getMessage());
                assertNull(batches.next(), "the epoch is over after the error");
            }
        });
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (DataLoader loader = DataLoader.of(asStream(numbered(100)), DataLoader.Options.of(8).workers(2));
                 DataLoader bad = DataLoader.of(streamOf(broken), DataLoader.Options.of(8).workers(2));
                 DataLoader.Batches ok = loader.epoch(1); DataLoader.Batches batches = bad.epoch(1)) {
                assertNotNull(ok.next());
                DataException e = assertThrows(DataException.class, () -> {
                    while (batches.next() != null) {
                        // drain
                    }
                });
                assertTrue(e.getMessage().startsWith("cats/57.png"), e.getMessage());
            }
        });
    }

    /** A stream whose record i decodes through {@code d.batch({i})}, so that the data set's errors show. */
    static StreamDataset streamOf(Dataset d) {
        return new StreamDataset() {
            @Override
            public ExampleSpec spec() {
                return d.spec();
            }

            @Override
            public long size() {
                return d.size();
            }

            @Override
            public Records open() {
                return new Records() {
                    int next;

                    @Override
                    public Record next() {
                        if (next >= d.size()) return null;
                        int i = next++;
                        return () -> {
                            Batch b = d.batch(new int[]{i});
                            return new Example(b.input().contiguous().toArray(), b.targets().contiguous().toArray());
                        };
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }

    @Test
    void stackChecksLengthsAndKeepsWeights() {
        ExampleSpec spec = ExampleSpec.of(new int[]{2}, new int[]{1}, true);
        Batch b = spec.stack(List.of(new Example(List.of(new float[]{1, 2}), new float[]{3}, 0.5f),
                new Example(List.of(new float[]{4, 5}), new float[]{6}, 2f)));
        assertArrayEquals(new int[]{2, 2}, b.input().shape());
        assertArrayEquals(new float[]{1, 2, 4, 5}, b.input().toArray());
        assertArrayEquals(new int[]{2, 1}, b.targets().shape());
        assertArrayEquals(new float[]{0.5f, 2f}, b.weights().toArray());
        assertThrows(IllegalArgumentException.class, () -> spec.stack(List.of(new Example(new float[]{1}, new float[]{1}))));
    }
}
