package dev.nabla.dataset;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tensors in memory as a data set (PyTorch's {@code TensorDataset}): inputs and targets with the samples along the
 * first axis, and optional sample weights {@code [N]}. A batch is one gather of rows (a view when the rows are
 * consecutive), which is what {@code Model.fit(x, y, options)} trains on.
 */
public final class TensorDataset implements Dataset {

    private final List<Tensor> inputs;
    private final Tensor targets;
    private final Tensor weights;
    private final ExampleSpec spec;

    /**
     * @param inputs  one tensor per network input (a graph's inputs in their declared order), all with the same first axis
     * @param targets the targets, the same number of samples
     * @param weights sample weights {@code [N]}, or null
     */
    public TensorDataset(List<Tensor> inputs, Tensor targets, Tensor weights) {
        if (inputs.isEmpty()) throw new IllegalArgumentException("a data set needs at least one input");
        this.inputs = List.copyOf(inputs);
        int n = samples(this.inputs.get(0));
        List<int[]> shapes = new ArrayList<>();
        for (Tensor t : this.inputs) {
            if (samples(t) != n) {
                throw new ShapeException("inputs must all have the same number of samples along the first axis, got "
                        + Shape.str(this.inputs.get(0).shape()) + " and " + Shape.str(t.shape()));
            }
            shapes.add(Arrays.copyOfRange(t.shape(), 1, t.rank()));
        }
        if (samples(targets) != n) {
            throw new ShapeException("inputs " + Shape.str(this.inputs.get(0).shape()) + " and targets " + Shape.str(targets.shape())
                    + " must have the same number of samples along the first axis");
        }
        if (weights != null && (weights.rank() != 1 || weights.shape(0) != n)) {
            throw new ShapeException("sample weights " + Shape.str(weights.shape()) + " must be [" + n + "]");
        }
        this.targets = targets;
        this.weights = weights;
        this.spec = new ExampleSpec(shapes, Arrays.copyOfRange(targets.shape(), 1, targets.rank()), weights != null);
    }

    /** One input tensor and its targets, unweighted. */
    public TensorDataset(Tensor x, Tensor y) {
        this(List.of(x), y, null);
    }

    private static int samples(Tensor t) {
        if (t.rank() == 0) throw new ShapeException("a data set's tensors need a first (sample) axis, got a scalar");
        return t.shape(0);
    }

    @Override
    public int size() {
        return inputs.get(0).shape(0);
    }

    @Override
    public ExampleSpec spec() {
        return spec;
    }

    @Override
    public Example get(int index) {
        List<float[]> in = new ArrayList<>();
        for (Tensor t : inputs) in.add(t.slice(index, index + 1).contiguous().toArray());
        float[] y = targets.slice(index, index + 1).contiguous().toArray();
        float w = weights == null ? 1f : weights.slice(index, index + 1).item();
        return new Example(in, y, w);
    }

    @Override
    public Batch batch(int[] indices) {
        if (consecutive(indices)) {
            int start = indices.length == 0 ? 0 : indices[0];
            int end = start + indices.length;
            List<Tensor> in = new ArrayList<>(inputs.size());
            for (Tensor t : inputs) in.add(t.slice(start, end));
            return new Batch(in, targets.slice(start, end), weights == null ? null : weights.slice(start, end));
        }
        List<Tensor> in = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) in.add(t.indexSelect(0, indices));
        return new Batch(in, targets.indexSelect(0, indices), weights == null ? null : weights.indexSelect(0, indices));
    }

    /** Rows are only copied: one thread keeps ahead of the training step. */
    @Override
    public int suggestedWorkers() {
        return 1;
    }

    private static boolean consecutive(int[] indices) {
        for (int i = 1; i < indices.length; i++) if (indices[i] != indices[i - 1] + 1) return false;
        return true;
    }
}
