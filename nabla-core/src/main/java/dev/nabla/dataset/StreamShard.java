package dev.nabla.dataset;

import java.io.IOException;

/** Every {@code worldSize}-th record of a stream from {@code rank} (see {@link StreamDataset#shard}). */
final class StreamShard implements StreamDataset {

    private final StreamDataset source;
    private final int rank;
    private final int worldSize;

    StreamShard(StreamDataset source, int rank, int worldSize) {
        DatasetShard.checkRank(rank, worldSize);
        this.source = source;
        this.rank = rank;
        this.worldSize = worldSize;
    }

    @Override
    public ExampleSpec spec() {
        return source.spec();
    }

    @Override
    public long size() {
        long n = source.size();
        return n < 0 ? -1 : n <= rank ? 0 : (n - rank + worldSize - 1) / worldSize;
    }

    @Override
    public Records open() throws IOException {
        Records all = source.open();
        return new Records() {
            private long index;

            @Override
            public Record next() throws IOException {
                for (Record r = all.next(); r != null; r = all.next()) {
                    if (index++ % worldSize == rank) return r;
                }
                return null;
            }

            @Override
            public void close() throws IOException {
                all.close();
            }
        };
    }

    @Override
    public int suggestedWorkers() {
        return source.suggestedWorkers();
    }
}
