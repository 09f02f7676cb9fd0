package dev.nabla.dataset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A random-access data set (PyTorch's map-style {@code Dataset}): {@link #size} examples, each read by index. A
 * {@link DataLoader} visits them in a seeded permutation each epoch, in batches built on worker threads, so only the
 * batches in flight are in memory. Implementations must allow calls from several threads at once.
 *
 * <pre>{@code
 * Dataset images = ImageFolderDataset.open(Path.of("pets"), new int[]{64, 64}, 255);
 * model.fit(images, new FitOptions().epochs(5).batchSize(64).workers(4).prefetch(8));
 * }</pre>
 *
 * <p>Tensors in memory are one kind ({@link TensorDataset}); {@link #shard} and {@link #subset} give others.
 */
public interface Dataset {

    /** The number of examples. */
    int size();

    /** The shape of every example. */
    ExampleSpec spec();

    /** The example at {@code index}, in {@code [0, size())}. */
    Example get(int index) throws IOException;

    /**
     * The examples at {@code indices}, stacked: by default {@link #get} of each, {@link ExampleSpec#stack stacked};
     * data sets that can read a batch at once (tensors in memory) override it.
     */
    default Batch batch(int[] indices) throws IOException {
        List<Example> examples = new ArrayList<>(indices.length);
        for (int i : indices) examples.add(get(i));
        return spec().stack(examples);
    }

    /**
     * Worker threads a loader uses when the fit does not say ({@code FitOptions.workers}): all cores for data that is
     * decoded (images, text), 1 for data that is only copied.
     */
    default int suggestedWorkers() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The part of this data set that rank {@code rank} of {@code worldSize} reads (as PyTorch's
     * {@code DistributedSampler} without padding): examples {@code rank, rank + worldSize, ...}. The shards of all
     * ranks are disjoint and together hold every example once; their sizes differ by at most one.
     */
    default Dataset shard(int rank, int worldSize) {
        return new DatasetShard(this, rank, worldSize);
    }

    /** The examples at {@code indices} of this data set, in that order (e.g. a training or validation part). */
    default Dataset subset(int[] indices) {
        return new DatasetSubset(this, indices);
    }
}
