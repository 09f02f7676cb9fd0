package dev.nabla.train;

import dev.nabla.dataset.DataLoader;
import dev.nabla.distributed.Collective;
import dev.nabla.dataset.Dataset;
import dev.nabla.dataset.StreamDataset;
import dev.nabla.dataset.TensorDataset;
import dev.nabla.nn.Module;
import dev.nabla.tensor.Tensor;

/**
 * What one {@link Model#fit} reads: the training batches and the validation batches (null: none), whatever the data
 * came as. Tensors become a {@link TensorDataset}, so every fit runs the same loop ({@link FitLoop}).
 */
record FitData(DataLoader train, DataLoader validation) {

    /** Tensors in memory: a {@link FitOptions#validationSplit} holds out the last samples, as Keras does. */
    static FitData of(Inputs x, Tensor y, FitOptions options, Module network) {
        int n = x.samples();
        int trainN = !options.hasValidationData() && options.validationSplit > 0 ? n - heldOut(n, options.validationSplit) : n;
        Tensor w = options.sampleWeights == null ? null : options.sampleWeights.slice(0, trainN);
        TensorDataset train = new TensorDataset(x.slice(0, trainN).tensors(), y.slice(0, trainN), w);
        DataLoader validation = trainN < n
                ? ordered(new TensorDataset(x.slice(trainN, n).tensors(), y.slice(trainN, n), null), options)
                : given(options, network);
        return new FitData(loader(train, options), validation);
    }

    /** A random-access data set: a validation split holds out its last examples. */
    static FitData of(Dataset data, FitOptions options, Module network) {
        noWeights(options);
        if (options.validationSplit > 0 && !options.hasValidationData()) {
            int n = data.size();
            int held = heldOut(n, options.validationSplit);
            return new FitData(loader(data.subset(range(0, n - held)), options), ordered(data.subset(range(n - held, n)), options));
        }
        if (data.size() == 0) throw new IllegalArgumentException("fit: no samples");
        return new FitData(loader(data, options), given(options, network));
    }

    static FitData of(StreamDataset data, FitOptions options, Module network) {
        noWeights(options);
        if (options.validationSplit > 0 && !options.hasValidationData()) {
            throw new IllegalArgumentException("fit: a stream has no validation split; give FitOptions.validationData");
        }
        int bs = data.size() > 0 ? (int) Math.min(options.batchSize, data.size()) : options.batchSize;
        DataLoader.Options o = options.loaderOptions(bs, data.suggestedWorkers());
        Collective c = options.shardData ? options.collective : null;
        return new FitData(c == null ? DataLoader.of(data, o) : DataLoader.shard(data, o, c.rank(), c.worldSize()),
                given(options, network));
    }

    /** The training batches: with a {@link FitOptions#collective} (and {@link FitOptions#shardData}), of this rank's shard. */
    private static DataLoader loader(Dataset train, FitOptions options) {
        int bs = Math.min(options.batchSize, Math.max(1, train.size()));
        DataLoader.Options o = options.loaderOptions(bs, train.suggestedWorkers());
        Collective c = options.shardData ? options.collective : null;
        return c == null ? DataLoader.of(train, o) : DataLoader.shard(train, o, c.rank(), c.worldSize());
    }

    /** The validation data given in the options, or null. */
    private static DataLoader given(FitOptions options, Module network) {
        if (options.validationStream != null) {
            StreamDataset s = options.validationStream;
            return DataLoader.of(s, options.loaderOptions(validationBatch(options), s.suggestedWorkers()).shuffle(false).transform(null));
        }
        Dataset d = options.validationSet;
        if (d == null && (options.validationX != null || options.validationInputs != null)) {
            Inputs vx = options.validationX != null ? Inputs.of(options.validationX) : Inputs.of(network, options.validationInputs);
            Inputs.checkSameLength("fit (validation data)", vx, options.validationY);
            d = new TensorDataset(vx.tensors(), options.validationY, null);
        }
        return d == null ? null : ordered(d, options);
    }

    /** Validation reads in order, unaugmented, in {@link FitOptions#validationBatchSize} batches. */
    private static DataLoader ordered(Dataset d, FitOptions options) {
        return DataLoader.of(d, options.loaderOptions(validationBatch(options), d.suggestedWorkers()).shuffle(false).transform(null));
    }

    private static int validationBatch(FitOptions options) {
        return options.validationBatchSize > 0 ? options.validationBatchSize : Math.max(options.batchSize, 256);
    }

    private static void noWeights(FitOptions options) {
        if (options.sampleWeights != null) {
            throw new IllegalArgumentException("fit: a data set carries its own sample weights; leave FitOptions.sampleWeights out");
        }
    }

    private static int heldOut(int n, double fraction) {
        int held = (int) Math.round(n * fraction);
        if (held < 1 || held >= n) {
            throw new IllegalArgumentException("validation split " + fraction + " of " + n
                    + " samples leaves no samples for " + (held < 1 ? "validation" : "training"));
        }
        return held;
    }

    private static int[] range(int start, int end) {
        int[] r = new int[end - start];
        for (int i = 0; i < r.length; i++) r[i] = start + i;
        return r;
    }
}
