package dev.nabla.tensor;

import dev.nabla.autograd.Accumulate;
import dev.nabla.autograd.Backward;
import dev.nabla.autograd.Function;
import dev.nabla.ops.*;

import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * An n-dimensional array of float32 values, row-major, that records the ops applied to it so gradients can flow back
 * (reverse-mode automatic differentiation, like PyTorch's dynamic graph).
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(new SplittableRandom(42), 3, 2).requiresGrad(true);
 * Tensor x = Tensor.of(new float[]{1, 2, 3}, 1, 3);
 * Tensor loss = x.matmul(w).relu().sum();
 * loss.backward();
 * System.out.println(w.grad());
 * }</pre>
 *
 * <p>Reshape (of a contiguous tensor), {@link #transpose}, {@link #permute} and {@link #slice} return views sharing
 * the data; every other op returns a new tensor. Ops never modify their inputs.
 */
public final class Tensor {

    private final float[] data;
    private final int offset;
    private final int[] shape;
    private final int[] strides;

    private boolean requiresGrad;
    private boolean leaf = true;
    private Tensor grad;
    /** zeroGrad() was called since the last gradient: {@link #grad}'s buffer holds old values that read as zeros. */
    private boolean gradCleared;
    private Function gradFn;
    /** Which steps of a sequence are real (1) or padding (0), {@code [batch, time]}, or null; see {@link #withMask}. */
    private Tensor mask;

    private Tensor(float[] data, int offset, int[] shape, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    // ---------------------------------------------------------------- creation

    /** Wraps {@code data} (not copied) as a contiguous tensor of the given shape. For op implementations. */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = shape.clone();
        int n = Shape.size(s);
        if (n != data.length) {
            throw new ShapeException("tensor: " + data.length + " values do not fill shape " + Shape.str(s)
                    + " (" + n + " elements)");
        }
        return new Tensor(data, 0, s, Shape.contiguousStrides(s));
    }

    /** A view of {@code data} with explicit offset and strides. For op implementations. */
    public static Tensor view(float[] data, int offset, int[] shape, int[] strides) {
        return new Tensor(data, offset, shape.clone(), strides.clone());
    }

    /** A tensor holding a copy of {@code values}, with the given shape (a 1-D tensor when no shape is given). */
    public static Tensor of(float[] values, int... shape) {
        return wrap(values.clone(), shape.length == 0 ? new int[]{values.length} : shape);
    }

    /** A 2-D tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] d = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new ShapeException("tensor: row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, d, i * cols, cols);
        }
        return wrap(d, rows.length, cols);
    }

    /** A 0-dimensional tensor holding one value. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[]{value}, 0, new int[0], new int[0]);
    }

    public static Tensor zeros(int... shape) {
        AllocationBudget.spend(shape);
        return wrap(new float[Shape.size(shape)], shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        AllocationBudget.spend(shape);
        float[] d = new float[Shape.size(shape)];
        Arrays.fill(d, value);
        return wrap(d, shape);
    }

    /** {@code [0, 1, ..., n-1]}. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** Values from {@code start} (inclusive) to {@code end} (exclusive) in steps of {@code step}, like PyTorch. */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || Float.isNaN(step)) throw new IllegalArgumentException("arange: step must be non-zero");
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = start + i * step;
        return wrap(d, n);
    }

    /** Uniform random values in {@code [0, 1)} from the given generator (seed it for reproducible runs). */
    public static Tensor rand(RandomGenerator rng, int... shape) {
        return uniform(rng, 0f, 1f, shape);
    }

    /** Uniform random values in {@code [low, high)}. */
    public static Tensor uniform(RandomGenerator rng, float low, float high, int... shape) {
        AllocationBudget.spend(shape);
        float[] d = new float[Shape.size(shape)];
        float width = high - low;
        for (int i = 0; i < d.length; i++) d[i] = low + width * rng.nextFloat();
        return wrap(d, shape);
    }

    /** Standard normal random values. */
    public static Tensor randn(RandomGenerator rng, int... shape) {
        return normal(rng, 0f, 1f, shape);
    }

    /** Normal random values with the given mean and standard deviation. */
    public static Tensor normal(RandomGenerator rng, float mean, float std, int... shape) {
        AllocationBudget.spend(shape);
        float[] d = new float[Shape.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = (float) (mean + std * rng.nextGaussian());
        return wrap(d, shape);
    }

    // ---------------------------------------------------------------- layout

    public int[] shape() {
        return shape.clone();
    }

    /** Size of one dimension; negative axes count from the end. */
    public int shape(int axis) {
        return shape[Shape.axis("shape", axis, shape.length)];
    }

    public int rank() {
        return shape.length;
    }

    /** Number of elements. */
    public int size() {
        return Shape.size(shape);
    }

    /** The backing array (shared with views); element {@code i} of a contiguous tensor is {@code data()[offset()+i]}. */
    public float[] data() {
        return data;
    }

    public int offset() {
        return offset;
    }

    public int[] strides() {
        return strides.clone();
    }

    /** Stride of one dimension, in elements. */
    public int stride(int axis) {
        return strides[Shape.axis("stride", axis, shape.length)];
    }

    /** True when the elements lie in row-major order without gaps, starting at {@link #offset()}. */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /**
     * A contiguous tensor with this tensor's values, outside the graph: this tensor itself when already contiguous
     * and no copy is forced. For op implementations, which record the original tensor as their input.
     */
    public Tensor materialize(boolean forceCopy) {
        if (!forceCopy && isContiguous()) return this;
        float[] d = new float[size()];
        StridedCopy.copy(this, d, 0);
        return wrap(d, shape);
    }

    /** The values as a new row-major array. */
    public float[] toArray() {
        float[] d = new float[size()];
        StridedCopy.copy(this, d, 0);
        return d;
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (size() != 1) throw new ShapeException("item: tensor of shape " + Shape.str(shape) + " has " + size() + " elements, not 1");
        return data[offset];
    }

    /** The element at the given index (one index per dimension). */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new ShapeException("get: " + index.length + " indices for a tensor of rank " + shape.length);
        }
        int pos = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("get: index " + index[i] + " out of range for dimension " + i
                        + " of size " + shape[i]);
            }
            pos += index[i] * strides[i];
        }
        return data[pos];
    }

    // ---------------------------------------------------------------- autograd

    /** Whether gradients flow to this tensor: set on parameters; ops on such tensors are recorded. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks this leaf tensor as one whose gradient backward() computes. Returns this tensor. */
    public Tensor requiresGrad(boolean value) {
        if (!leaf && !value) {
            throw new IllegalStateException("requiresGrad(false) on a tensor computed by " + gradFn
                    + ": use detach() to cut it from the graph");
        }
        requiresGrad = value;
        return this;
    }

    /** False for tensors computed by a recorded op; true for inputs, parameters and detached tensors. */
    public boolean isLeaf() {
        return leaf;
    }

    /** The accumulated gradient (after {@link #backward()}), or null. */
    public Tensor grad() {
        if (gradCleared) {
            Arrays.fill(grad.data, grad.offset, grad.offset + grad.size(), 0f);
            gradCleared = false;
        }
        return grad;
    }

    /** Replaces the gradient (used by the autograd engine and by optimizers). */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new ShapeException("setGrad: gradient of shape " + Shape.str(g.shape) + " for a tensor of shape "
                    + Shape.str(shape));
        }
        grad = g;
        gradCleared = false;
    }

    /**
     * Sets the gradient to zero, keeping its buffer for the next step. The buffer is zero-filled only when someone
     * reads the gradient before the next backward pass; backward overwrites a cleared buffer with the first gradient
     * it gets rather than adding to zeros (in training, one pass over every parameter saved twice per step). So a
     * gradient tensor fetched before this call still shows its old values until {@link #grad()} is called again.
     */
    public void zeroGrad() {
        if (grad != null) gradCleared = true;
    }

    /**
     * Adds {@code g} to this tensor's gradient: the autograd engine's step for a leaf. The gradient is always this
     * tensor's own contiguous buffer, so that later additions can be made in place without touching {@code g}.
     */
    public void accumulateGrad(Tensor g) {
        if (!Arrays.equals(g.shape, shape)) {
            throw new ShapeException("accumulateGrad: gradient of shape " + Shape.str(g.shape) + " for a tensor of shape "
                    + Shape.str(shape));
        }
        if (grad == null) {
            grad = g.materialize(true);
        } else if (gradCleared) {
            StridedCopy.copy(g, grad.data, grad.offset);
        } else {
            Accumulate.addInPlace(grad, g);
        }
        gradCleared = false;
    }

    /** The op that computed this tensor, or null for a leaf or once backward() has released the graph. */
    public Function gradFn() {
        return gradFn;
    }

    /** Records the op that computed this tensor; for op implementations (see {@link Function}). */
    public void setGradFn(Function fn) {
        gradFn = fn;
        if (fn != null) {
            leaf = false;
            requiresGrad = true;
        }
    }

    /** Computes the gradient of this scalar with respect to every tensor that requires one, then frees the graph. */
    public void backward() {
        if (size() != 1) {
            throw new ShapeException("backward: needs a scalar (one element) output, got shape " + Shape.str(shape)
                    + "; pass the output gradient explicitly with backward(gradient)");
        }
        Backward.run(this, full(1f, shape));
    }

    /** Backpropagates the given gradient of some scalar with respect to this tensor. */
    public void backward(Tensor gradient) {
        if (!Arrays.equals(gradient.shape, shape)) {
            throw new ShapeException("backward: gradient shape " + Shape.str(gradient.shape) + " differs from tensor shape "
                    + Shape.str(shape));
        }
        Backward.run(this, gradient);
    }

    /**
     * The padding mask this tensor carries, or null: {@code [batch, time]}, 1 for a real step and 0 for padding. An
     * {@code Embedding} with a padding index or a {@code Masking} layer creates it, layers that keep the time axis pass
     * it on, and layers that read sequences (recurrent layers, attention, pooling over time) make padded steps change
     * nothing, like Keras' masks.
     */
    public Tensor mask() {
        return mask;
    }

    /**
     * A view of this tensor (same data, gradients flow through) carrying {@code mask} ({@code [batch, time]}, matching
     * this tensor's first two dimensions; null for none). The mask itself never takes a gradient.
     */
    public Tensor withMask(Tensor mask) {
        if (mask != null) {
            if (shape.length < 2 || mask.rank() != 2 || mask.shape[0] != shape[0] || mask.shape[1] != shape[1]) {
                throw new ShapeException("mask: a [batch, time] mask of shape " + Shape.str(mask.shape)
                        + " does not fit a tensor of shape " + Shape.str(shape));
            }
            if (mask.gradFn != null || mask.requiresGrad) mask = mask.detach();
        }
        Tensor view = Reshape.apply(this, shape);
        view.mask = mask;
        return view;
    }

    /** The same values, cut from the graph (shares data; no gradient flows through it). */
    public Tensor detach() {
        return new Tensor(data, offset, shape, strides);
    }

    // ---------------------------------------------------------------- elementwise arithmetic (broadcasting)

    public Tensor add(Tensor other) { return Add.apply(this, other); }
    public Tensor add(float value) { return Add.apply(this, scalar(value)); }
    public Tensor sub(Tensor other) { return Sub.apply(this, other); }
    public Tensor sub(float value) { return Sub.apply(this, scalar(value)); }
    public Tensor mul(Tensor other) { return Mul.apply(this, other); }
    public Tensor mul(float value) { return Mul.apply(this, scalar(value)); }
    public Tensor div(Tensor other) { return Div.apply(this, other); }
    public Tensor div(float value) { return Div.apply(this, scalar(value)); }
    public Tensor maximum(Tensor other) { return Maximum.apply(this, other); }
    public Tensor minimum(Tensor other) { return Minimum.apply(this, other); }
    public Tensor neg() { return Neg.apply(this); }
    /** Each element raised to a constant power. */
    public Tensor pow(float exponent) { return Pow.apply(this, exponent); }
    public Tensor square() { return Square.apply(this); }
    public Tensor sqrt() { return Sqrt.apply(this); }
    public Tensor exp() { return Exp.apply(this); }
    public Tensor log() { return Log.apply(this); }
    public Tensor abs() { return Abs.apply(this); }
    /** Limits each element to {@code [min, max]}. */
    public Tensor clamp(float min, float max) { return Clamp.apply(this, min, max); }

    // ---------------------------------------------------------------- activations

    public Tensor relu() { return Relu.apply(this); }
    public Tensor leakyRelu(float negativeSlope) { return LeakyRelu.apply(this, negativeSlope); }
    public Tensor elu(float alpha) { return Elu.apply(this, alpha); }
    public Tensor sigmoid() { return Sigmoid.apply(this); }
    public Tensor tanh() { return Tanh.apply(this); }
    /** GELU with the exact (erf) formula, PyTorch's default. */
    public Tensor gelu() { return Gelu.apply(this, false); }
    /** GELU with the tanh approximation ({@code approximate='tanh'} in PyTorch). */
    public Tensor geluTanh() { return Gelu.apply(this, true); }
    /** {@code x * sigmoid(x)} (SiLU, swish). */
    public Tensor silu() { return Silu.apply(this); }
    /** {@code log(1 + exp(x))}, and {@code x} above 20 (PyTorch's {@code softplus} with beta 1, threshold 20). */
    public Tensor softplus() { return Softplus.apply(this); }
    /** {@code log(1 + exp(beta x)) / beta}, and {@code x} where {@code beta x > threshold}. */
    public Tensor softplus(float beta, float threshold) { return Softplus.apply(this, beta, threshold); }
    /** {@code x * tanh(softplus(x))}. */
    public Tensor mish() { return Mish.apply(this); }
    /** Parametric ReLU with a learnable slope per channel of axis 1 ({@code alpha [C]}) or shared ({@code [1]}). */
    public Tensor prelu(Tensor alpha) { return PRelu.apply(this, alpha); }
    public Tensor softmax(int axis) { return Softmax.apply(this, axis); }
    public Tensor logSoftmax(int axis) { return LogSoftmax.apply(this, axis); }

    /**
     * Batch normalisation per channel (axis 1) of {@code [N, C]}, {@code [N, C, L]} or {@code [N, C, H, W]}, as one op
     * ({@link BatchNormOp}, PyTorch's {@code F.batch_norm}): {@code gamma}, {@code beta} {@code [C]} or null; in
     * training the batch's statistics, and the running ones ({@code [C]}, or null) updated in place with
     * {@code momentum} (PyTorch's 0.1); in inference the running ones.
     */
    public Tensor batchNorm(Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float momentum,
                            float eps, boolean training) {
        return BatchNormOp.apply(this, gamma, beta, runningMean, runningVar, momentum, eps, training);
    }

    /** Inverted dropout: zeroes elements with probability {@code p}, scales the rest by {@code 1/(1-p)}. */
    public Tensor dropout(float p, RandomGenerator rng) { return Dropout.apply(this, p, rng); }

    // ---------------------------------------------------------------- convolution and pooling (NCHW)

    /** 2-D convolution with weight {@code [F, C, KH, KW]}, optional bias {@code [F]}, square stride and padding. */
    public Tensor conv2d(Tensor weight, Tensor bias, int stride, int padding) {
        return Conv2d.apply(this, weight, bias, new int[]{stride, stride}, new int[]{padding, padding}, new int[]{1, 1});
    }

    /**
     * 2-D convolution with per-direction {@code {h, w}} stride and dilation; padding {@code {h, w}} (both sides) or
     * {@code {top, bottom, left, right}}.
     */
    public Tensor conv2d(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation) {
        return Conv2d.apply(this, weight, bias, stride, padding, dilation);
    }

    /** The same with {@code groups} (weight {@code [F, C/groups, KH, KW]}; {@code groups == C}: depthwise). */
    public Tensor conv2d(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Conv2d.apply(this, weight, bias, stride, padding, dilation, groups, false);
    }

    /** 2-D convolution as {@code spec} says (stride, padding per side or 'same', dilation, groups). */
    public Tensor conv2d(Tensor weight, Tensor bias, ConvSpec spec) {
        return Conv2d.apply(this, weight, bias, spec, false);
    }

    /**
     * 1-D convolution of {@code [N, C, L]} with weight {@code [F, C/groups, K]} and optional bias {@code [F]}; padding
     * {@code {p}} or {@code {left, right}}.
     */
    public Tensor conv1d(Tensor weight, Tensor bias, int stride, int[] padding, int dilation, int groups) {
        return Conv1d.apply(this, weight, bias, stride, padding, dilation, groups, false);
    }

    /** 1-D convolution as {@code spec} says ({@link ConvSpec#of1d}, {@link ConvSpec#same1d}). */
    public Tensor conv1d(Tensor weight, Tensor bias, ConvSpec spec) {
        return Conv1d.apply(this, weight, bias, spec, false);
    }

    /** Max pooling over {@code kernel x kernel} windows, stride {@code kernel}, no padding. */
    public Tensor maxPool2d(int kernel) { return maxPool2d(kernel, kernel, 0); }

    public Tensor maxPool2d(int kernel, int stride, int padding) {
        return MaxPool2d.apply(this, new int[]{kernel, kernel}, new int[]{stride, stride}, new int[]{padding, padding});
    }

    /** Average pooling over {@code kernel x kernel} windows, stride {@code kernel}, no padding. */
    public Tensor avgPool2d(int kernel) { return avgPool2d(kernel, kernel, 0); }

    public Tensor avgPool2d(int kernel, int stride, int padding) {
        return AvgPool2d.apply(this, new int[]{kernel, kernel}, new int[]{stride, stride}, new int[]{padding, padding});
    }

    /**
     * Global max pooling, {@code [N, C, H, W]} or {@code [N, C, L]} to {@code [N, C]}: see {@link GlobalMaxPool} (on
     * ties the gradient goes to the first maximum).
     */
    public Tensor globalMaxPool() { return GlobalMaxPool.apply(this); }

    // ---------------------------------------------------------------- linear algebra

    /** Matrix product: 2-D, or batched over leading dimensions that broadcast. */
    public Tensor matmul(Tensor other) { return MatMul.apply(this, other); }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements, as a scalar. */
    public Tensor sum() { return Sum.apply(this, null, false); }
    /** Sum over the given axes. */
    public Tensor sum(int[] axes, boolean keepDims) { return Sum.apply(this, axes, keepDims); }
    public Tensor sum(int axis, boolean keepDims) { return Sum.apply(this, new int[]{axis}, keepDims); }
    public Tensor mean() { return Mean.apply(this, null, false); }
    public Tensor mean(int[] axes, boolean keepDims) { return Mean.apply(this, axes, keepDims); }
    public Tensor mean(int axis, boolean keepDims) { return Mean.apply(this, new int[]{axis}, keepDims); }
    /** Maximum over all elements. */
    public Tensor max() { return Max.apply(this, null, false); }
    public Tensor max(int[] axes, boolean keepDims) { return Max.apply(this, axes, keepDims); }
    public Tensor max(int axis, boolean keepDims) { return Max.apply(this, new int[]{axis}, keepDims); }
    /** Index of the largest element along an axis (first one on ties), as float values; not differentiable. */
    public Tensor argmax(int axis, boolean keepDims) { return ArgMax.apply(this, axis, keepDims); }

    // ---------------------------------------------------------------- shape and indexing

    /** The same elements in a new shape; one dimension may be -1. A view when this tensor is contiguous. */
    public Tensor reshape(int... newShape) { return Reshape.apply(this, newShape); }
    /** Swaps two dimensions (a view). */
    public Tensor transpose(int axis0, int axis1) { return Permute.transpose(this, axis0, axis1); }
    /** Reorders the dimensions (a view). */
    public Tensor permute(int... order) { return Permute.apply(this, order); }
    /** The same values in row-major order: this tensor when already contiguous, else a differentiable copy. */
    public Tensor contiguous() { return isContiguous() ? this : Copy.apply(this); }
    /** A differentiable copy that owns its data. */
    public Tensor copy() { return Copy.apply(this); }
    /** Rows {@code [start, end)} along the first axis, e.g. a batch (a view). */
    public Tensor slice(int start, int end) { return Narrow.apply(this, 0, start, end - start); }
    /** {@code length} entries from {@code start} along an axis (a view). */
    public Tensor narrow(int axis, int start, int length) { return Narrow.apply(this, axis, start, length); }
    /** Entries at the given indices along an axis (e.g. embedding rows). */
    public Tensor indexSelect(int axis, int[] indices) { return IndexSelect.apply(this, axis, indices); }
    /** PyTorch's gather: {@code out[i][j] = this[i][index[i][j]]} for axis 1, and likewise for other axes. */
    public Tensor gather(int axis, Tensor index) { return Gather.apply(this, axis, index); }
    /** Materialises broadcasting to a larger shape. */
    public Tensor broadcastTo(int... newShape) { return BroadcastTo.apply(this, newShape); }
    /** Sums broadcast dimensions away so the result has {@code targetShape}, the reverse of {@link #broadcastTo}. */
    public Tensor sumToShape(int... targetShape) { return Sum.toShape(this, targetShape); }

    /** Joins tensors along an existing axis. */
    public static Tensor concat(int axis, Tensor... tensors) { return Concat.apply(axis, tensors); }
    /** Joins tensors of one shape along a new axis. */
    public static Tensor stack(int axis, Tensor... tensors) { return Stack.apply(axis, tensors); }

    // ---------------------------------------------------------------- printing

    /** Shape, and a few values: {@code Tensor[2, 3] [0.1000, 0.2000, 0.3000, ..., 0.6000]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shape.str(shape)).append(' ');
        int n = size();
        float[] values = n <= 12 ? toArray() : null;
        sb.append('[');
        if (values != null) {
            for (int i = 0; i < n; i++) {
                if (i > 0) sb.append(", ");
                sb.append(format(values[i]));
            }
        } else {
            float[] all = toArray();
            for (int i = 0; i < 6; i++) sb.append(format(all[i])).append(", ");
            sb.append("..., ");
            for (int i = n - 3; i < n; i++) sb.append(format(all[i])).append(i < n - 1 ? ", " : "");
        }
        sb.append(']');
        if (gradFn != null) sb.append(" grad_fn=").append(gradFn.name());
        else if (requiresGrad) sb.append(" requires_grad");
        return sb.toString();
    }

    private static String format(float v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
