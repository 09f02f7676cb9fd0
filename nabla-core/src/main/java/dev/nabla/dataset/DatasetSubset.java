package dev.nabla.dataset;

import java.io.IOException;

/** Chosen examples of a data set, in the given order (see {@link Dataset#subset}). */
final class DatasetSubset implements Dataset {

    private final Dataset source;
    private final int[] indices;

    DatasetSubset(Dataset source, int[] indices) {
        int n = source.size();
        for (int i : indices) {
            if (i < 0 || i >= n) throw new IndexOutOfBoundsException("subset: index " + i + " of a data set of " + n);
        }
        this.source = source;
        this.indices = indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public ExampleSpec spec() {
        return source.spec();
    }

    @Override
    public Example get(int index) throws IOException {
        return source.get(indices[index]);
    }

    @Override
    public Batch batch(int[] which) throws IOException {
        int[] mapped = new int[which.length];
        for (int i = 0; i < which.length; i++) mapped[i] = indices[which[i]];
        return source.batch(mapped);
    }

    @Override
    public int suggestedWorkers() {
        return source.suggestedWorkers();
    }
}
