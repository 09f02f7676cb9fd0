package dev.nabla.dataset;

import java.io.IOException;

/** Rank {@code rank}'s part of a data set of {@code worldSize} ranks: every {@code worldSize}-th example (see {@link Dataset#shard}). */
final class DatasetShard implements Dataset {

    private final Dataset source;
    private final int rank;
    private final int worldSize;

    DatasetShard(Dataset source, int rank, int worldSize) {
        checkRank(rank, worldSize);
        this.source = source;
        this.rank = rank;
        this.worldSize = worldSize;
    }

    static void checkRank(int rank, int worldSize) {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("shard: rank must be in [0, worldSize) and worldSize at least 1, got rank "
                    + rank + " of " + worldSize);
        }
    }

    @Override
    public int size() {
        int n = source.size();
        return n <= rank ? 0 : (n - rank + worldSize - 1) / worldSize;
    }

    @Override
    public ExampleSpec spec() {
        return source.spec();
    }

    @Override
    public Example get(int index) throws IOException {
        return source.get(map(index));
    }

    @Override
    public Batch batch(int[] indices) throws IOException {
        int[] mapped = new int[indices.length];
        for (int i = 0; i < indices.length; i++) mapped[i] = map(indices[i]);
        return source.batch(mapped);
    }

    @Override
    public int suggestedWorkers() {
        return source.suggestedWorkers();
    }

    private int map(int index) {
        if (index < 0 || index >= size()) throw new IndexOutOfBoundsException("shard index " + index + " of " + size());
        return rank + index * worldSize;
    }
}
