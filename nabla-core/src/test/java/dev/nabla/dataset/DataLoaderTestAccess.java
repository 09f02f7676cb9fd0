package dev.nabla.dataset;

/** Test helpers of this package for the tests of others. */
public final class DataLoaderTestAccess {

    private DataLoaderTestAccess() {
    }

    /** A data set's examples as a stream read in order. */
    public static StreamDataset asStream(Dataset d) {
        return DataLoaderTest.asStream(d);
    }
}
