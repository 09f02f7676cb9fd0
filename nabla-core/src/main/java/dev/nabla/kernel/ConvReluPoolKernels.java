package dev.nabla.kernel;

/**
 * A 2-D convolution with ReLU followed by max pooling, as one block of native kernels: the convolution's output stays
 * in native memory between the two and between the forward and backward passes ({@link OneDnnConvReluPool}). The
 * results are those of {@link Conv2dKernels#forward} with ReLU and {@link Pool2dKernels#maxPoolForward}, and their
 * gradients, up to float rounding in the convolution's sums.
 *
 * <p>Only with the native kernels, and for training only on batches whose convolution input and output fit one
 * native chunk ({@value OneDnnConvolution#CHUNK_FLOATS} floats per image block); elsewhere {@link #forward} returns
 * null and the caller runs the two ops. {@link #supports} says beforehand which it will be. Set the system property {@code nabla.conv.fuse=false} to always run them as
 * two ops.
 */
public final class ConvReluPoolKernels {

    private ConvReluPoolKernels() {
    }

    /** What a forward pass without gradients returns: nothing kept. */
    private static final Saved EMPTY = new Saved(null);

    /** What the backward pass needs, held in native memory until {@link #close}. */
    public static final class Saved implements AutoCloseable {
        private final OneDnnConvReluPool.Saved state;

        private Saved(OneDnnConvReluPool.Saved state) {
            this.state = state;
        }

        @Override
        public void close() {
            if (state != null) state.close();
        }
    }

    /** Whether the fused block can run at all here (native kernels loaded, not switched off). */
    public static boolean available() {
        return Kernels.convReluPool() != null;
    }

    /**
     * Whether {@link #forward} runs these geometries rather than returning null: the native block is available, the
     * batch is not empty, with {@code keepForBackward} the whole batch fits one native chunk, and oneDNN sets up the
     * block's primitives (tried here, and kept for the passes to come; with {@code keepForBackward} the backward
     * ones too). Any convolution stride, padding, dilation and groups may pass.
     */
    public static boolean supports(ConvGeometry conv, PoolGeometry pool, boolean bias, boolean keepForBackward) {
        OneDnnConvReluPool block = Kernels.convReluPool();
        if (block == null || conv.batch() == 0 || !fits(conv, pool)) return false;
        int chunk = chunkImages(conv);
        if (keepForBackward) return chunk >= conv.batch() && block.supports(conv, pool, bias, true);
        int last = conv.batch() % chunk;
        return block.supports(conv.withBatch(chunk), pool.withBatch(chunk), bias, false)
                && (last == 0 || block.supports(conv.withBatch(last), pool.withBatch(last), bias, false));
    }

    private static boolean fits(ConvGeometry conv, PoolGeometry pool) {
        return pool.batch() == conv.batch() && pool.channels() == conv.outChannels() && pool.height() == conv.outH()
                && pool.width() == conv.outW();
    }

    /** Images per native chunk: as many as keep one chunk's convolution input and output within the chunk size. */
    private static int chunkImages(ConvGeometry conv) {
        long perImage = (long) conv.outChannels() * conv.outH() * conv.outW()
                + (long) conv.inChannels() * conv.height() * conv.width();
        return (int) Math.max(1, Math.min(conv.batch(), OneDnnConvolution.CHUNK_FLOATS / perImage));
    }

    /**
     * {@code pooled = maxPool(relu(conv2d(input, weight) + bias))}; {@code bias} may be null. Returns the state for
     * {@link #backward} when {@code keepForBackward}, an empty one otherwise, or null, having done nothing, where the
     * block cannot run these geometries. Kept for backward, the whole batch must fit one native chunk; without, the
     * batch runs in chunks.
     */
    public static Saved forward(ConvGeometry conv, PoolGeometry pool, float[] input, float[] weight, float[] bias,
                                float[] pooled, boolean keepForBackward) {
        OneDnnConvReluPool block = Kernels.convReluPool();
        if (block == null || conv.batch() == 0) return null;
        if (!fits(conv, pool)) {
            throw new IllegalArgumentException("conv2d+maxpool2d: pooling " + pool + " does not fit convolution "
                    + conv);
        }
        check("input", input, conv.inputSize());
        check("weight", weight, conv.weightSize());
        if (bias != null) check("bias", bias, conv.outChannels());
        check("pooled", pooled, pool.outputSize());
        int chunk = chunkImages(conv);
        if (!keepForBackward) return block.forward(conv, pool, input, weight, bias, pooled, chunk) ? EMPTY : null;
        if (chunk < conv.batch()) return null;
        OneDnnConvReluPool.Saved state = block.forwardForBackward(conv, pool, input, weight, bias, pooled);
        return state == null ? null : new Saved(state);
    }

    /**
     * Gradients from the pooled output's gradient: {@code gradInput} (skipped when null), {@code gradWeight} and, when
     * the forward pass had a bias, {@code gradBias}. Overwrites them.
     */
    public static void backward(Saved saved, ConvGeometry conv, PoolGeometry pool, float[] gradPooled, float[] weight,
                                float[] gradInput, float[] gradWeight, float[] gradBias) {
        check("gradPooled", gradPooled, pool.outputSize());
        check("weight", weight, conv.weightSize());
        if (gradInput != null) check("gradInput", gradInput, conv.inputSize());
        check("gradWeight", gradWeight, conv.weightSize());
        if (gradBias != null) check("gradBias", gradBias, conv.outChannels());
        if (saved.state == null) throw new IllegalStateException("conv2d+maxpool2d: forward kept nothing for backward");
        Kernels.convReluPool().backward(saved.state, gradPooled, weight, gradInput, gradWeight, gradBias);
    }

    private static void check(String name, float[] array, int needed) {
        if (array == null) throw new IllegalArgumentException("conv2d+maxpool2d: " + name + " is null");
        if (array.length < needed) {
            throw new IllegalArgumentException("conv2d+maxpool2d: " + name + " has " + array.length
                    + " floats, the geometry needs " + needed);
        }
    }
}
