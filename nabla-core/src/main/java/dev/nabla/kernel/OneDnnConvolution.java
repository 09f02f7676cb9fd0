package dev.nabla.kernel;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.global.dnnl;

/**
 * 2-D convolution through oneDNN's convolution primitives (forward, backward data, backward weights), the kernels
 * PyTorch runs on a CPU.
 *
 * <p>Why not im2col and GEMM here: oneDNN's GEMM must be called from one thread at a time, so the unfolding between
 * GEMMs ran on one core while the other waited; the direct convolution splits the whole pass over oneDNN's OpenMP
 * team. Tensors live in Java arrays, so each call copies its operands into native buffers and reorders them to the
 * blocked layouts the primitive prefers (and the results back). The buffers are shared by all primitives (calls are
 * serialised, and each call finishes with its data) and a batch runs in chunks of at most {@link #CHUNK_FLOATS}
 * floats per operand, so native memory stays bounded whatever the batch size.
 *
 * <p>Calls hold {@link OneDnn#LOCK}.
 */
final class OneDnnConvolution {

    /** Geometries whose primitives stay built: a network's layers at its training and last-batch sizes, plus eval. */
    private static final int MAX_PLANS = 16;
    /** Largest input or output chunk, in floats (16 MB): one CNN batch of 128 fits, evaluation at 1000 is split. */
    static final long CHUNK_FLOATS = 1L << 22;

    private final dnnl_engine engine = OneDnn.cpuEngine();
    private final dnnl_stream stream = OneDnn.stream(engine);
    private final Map<PlanKey, Plan> plans = OneDnn.recentlyUsed(MAX_PLANS, plan -> false);
    /** Scratch buffers for whichever step runs: a step's operands in Nabla's plain layout and in the primitive's. */
    private final OneDnnParts.Scratch scratch = new OneDnnParts.Scratch();

    private final long chunkFloats;

    /** Creates the CPU engine and checks one small convolution against a hand-computed result. */
    OneDnnConvolution() {
        this(CHUNK_FLOATS);
    }

    /** The same with another chunk size (tests use small ones to run the chunked paths on small batches). */
    OneDnnConvolution(long chunkFloats) {
        this.chunkFloats = chunkFloats;
        ConvGeometry g = ConvGeometry.of(1, 1, 3, 3, 1, 2, 1, 0);
        float[] out = new float[4];
        boolean ran = forward(g, new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, new float[]{1, 0, 0, -1},
                new float[]{0.5f}, out, true);
        // 1 - 5 + 0.5 = -3.5 and so on: all negative, so the fused ReLU must give zeros; without it, -3.5
        if (!ran || out[0] != 0f || out[3] != 0f) {
            throw new IllegalStateException("oneDNN convolution self-test failed: " + java.util.Arrays.toString(out));
        }
        forward(g, new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, new float[]{1, 0, 0, -1}, new float[]{0.5f}, out, false);
        if (out[0] != -3.5f || out[3] != -3.5f) {
            throw new IllegalStateException("oneDNN convolution self-test failed: " + java.util.Arrays.toString(out));
        }
    }

    /**
     * {@code output = conv2d(input, weight) + bias}, then ReLU when {@code relu}; {@code bias} may be null. Returns
     * false, having done nothing, for an empty batch or a geometry oneDNN has no primitive for; likewise the two below.
     */
    boolean forward(ConvGeometry g, float[] input, float[] weight, float[] bias, float[] output, boolean relu) {
        synchronized (OneDnn.LOCK) {
            return lockedForward(g, input, weight, bias, output, relu);
        }
    }

    private boolean lockedForward(ConvGeometry g, float[] input, float[] weight, float[] bias, float[] output,
                                  boolean relu) {
        if (g.batch() == 0) return false;
        int chunk = chunkImages(g);
        for (int n = 0; n < g.batch(); n += chunk) {
            int images = Math.min(chunk, g.batch() - n);
            Step step = step(g.withBatch(images), bias != null, relu ? Plan::forwardRelu : Plan::forward);
            if (step == null) return false;
            step.load(DNNL_ARG_SRC, input, n * imageFloats(g));
            step.load(DNNL_ARG_WEIGHTS, weight, 0);
            if (bias != null) step.load(DNNL_ARG_BIAS, bias, 0);
            step.execute();
            step.store(DNNL_ARG_DST, output, n * outputImageFloats(g));
        }
        return true;
    }

    /** {@code gradInput} = gradient of the loss with respect to the input. */
    boolean backwardInput(ConvGeometry g, float[] gradOutput, float[] weight, float[] gradInput) {
        synchronized (OneDnn.LOCK) {
            return lockedBackwardInput(g, gradOutput, weight, gradInput);
        }
    }

    private boolean lockedBackwardInput(ConvGeometry g, float[] gradOutput, float[] weight, float[] gradInput) {
        if (g.batch() == 0) return false;
        int chunk = chunkImages(g);
        for (int n = 0; n < g.batch(); n += chunk) {
            int images = Math.min(chunk, g.batch() - n);
            Step step = step(g.withBatch(images), false, Plan::backwardData);
            if (step == null) return false;
            step.load(DNNL_ARG_DIFF_DST, gradOutput, n * outputImageFloats(g));
            step.load(DNNL_ARG_WEIGHTS, weight, 0);
            step.execute();
            step.store(DNNL_ARG_DIFF_SRC, gradInput, n * imageFloats(g));
        }
        return true;
    }

    /**
     * {@code gradWeight} (and {@code gradBias} unless null) = gradients with respect to weight and bias; over several
     * chunks, each chunk's gradients are summed in.
     */
    boolean backwardWeight(ConvGeometry g, float[] input, float[] gradOutput, float[] gradWeight, float[] gradBias) {
        synchronized (OneDnn.LOCK) {
            return lockedBackwardWeight(g, input, gradOutput, gradWeight, gradBias);
        }
    }

    private boolean lockedBackwardWeight(ConvGeometry g, float[] input, float[] gradOutput, float[] gradWeight,
                                         float[] gradBias) {
        if (g.batch() == 0) return false;
        int chunk = chunkImages(g);
        float[] partWeight = chunk < g.batch() ? new float[g.weightSize()] : null;
        float[] partBias = chunk < g.batch() && gradBias != null ? new float[g.outChannels()] : null;
        for (int n = 0; n < g.batch(); n += chunk) {
            int images = Math.min(chunk, g.batch() - n);
            Step step = step(g.withBatch(images), gradBias != null, Plan::backwardWeights);
            if (step == null) return false;
            step.load(DNNL_ARG_SRC, input, n * imageFloats(g));
            step.load(DNNL_ARG_DIFF_DST, gradOutput, n * outputImageFloats(g));
            step.execute();
            boolean first = n == 0;
            step.store(DNNL_ARG_DIFF_WEIGHTS, first ? gradWeight : partWeight, 0);
            if (gradBias != null) step.store(DNNL_ARG_DIFF_BIAS, first ? gradBias : partBias, 0);
            if (!first) {
                for (int i = 0; i < g.weightSize(); i++) gradWeight[i] += partWeight[i];
                if (gradBias != null) for (int i = 0; i < g.outChannels(); i++) gradBias[i] += partBias[i];
            }
        }
        return true;
    }

    /** Images per chunk: as many as keep one chunk's input and output within the chunk size. */
    int chunkImages(ConvGeometry g) {
        long perImage = Math.max(imageFloats(g), outputImageFloats(g));
        return (int) Math.max(1, Math.min(g.batch(), chunkFloats / perImage));
    }

    private static int imageFloats(ConvGeometry g) {
        return g.inChannels() * g.height() * g.width();
    }

    private static int outputImageFloats(ConvGeometry g) {
        return g.outChannels() * g.outH() * g.outW();
    }

    /** The step, built on first use; null when oneDNN cannot set it up (remembered, so it is asked only once). */
    private Step step(ConvGeometry g, boolean bias, java.util.function.Function<Plan, Step> which) {
        Plan plan = plans.computeIfAbsent(new PlanKey(g, bias, Precision.bf16Now()), Plan::new);
        if (plan.unsupported) return null;
        try {
            return which.apply(plan);
        } catch (IllegalStateException notSetUp) {
            plan.unsupported = true;
            return null;
        }
    }

    private record PlanKey(ConvGeometry geometry, boolean bias, boolean bf16) {
    }

    // ---- one geometry's primitives -----------------------------------------------------------------------------

    /** The primitives of one geometry (with or without bias), each built on first use. */
    private final class Plan implements AutoCloseable {
        private final OneDnnConvDesc conv;
        private final boolean bias;
        private dnnl_primitive_desc forwardHint;
        private Step forward;
        private Step forwardRelu;
        private Step backwardData;
        private Step backwardWeights;
        /** oneDNN could not set up one of the steps: the caller uses the GEMM kernels for this geometry. */
        boolean unsupported;

        Plan(PlanKey key) {
            this.conv = new OneDnnConvDesc(engine, key.geometry(), key.bf16());
            this.bias = key.bias();
        }

        Step forward() {
            if (forward == null) forward = buildForward(false);
            return forward;
        }

        Step forwardRelu() {
            if (forwardRelu == null) forwardRelu = buildForward(true);
            return forwardRelu;
        }

        /** A forward primitive desc the backward ones are told about (oneDNN wants it as a hint). */
        private dnnl_primitive_desc forwardHint() {
            if (forwardHint == null) forwardHint = conv.forward(bias, false);
            return forwardHint;
        }

        private Step buildForward(boolean relu) {
            try (OneDnn.Descs d = new OneDnn.Descs()) {
                Step s = new Step(conv.forward(bias, relu));
                s.input(DNNL_ARG_SRC, d.tagged(conv.sourceDims(), dnnl.dnnl_nchw), dnnl.dnnl_query_src_md, 0);
                s.input(DNNL_ARG_WEIGHTS, d.tagged(conv.weightDims(), conv.weightTag()), dnnl.dnnl_query_weights_md, 0);
                if (bias) {
                    s.input(DNNL_ARG_BIAS, d.tagged(conv.biasDims(), dnnl.dnnl_x), dnnl.dnnl_query_weights_md, 1);
                }
                s.output(DNNL_ARG_DST, d.tagged(conv.outputDims(), dnnl.dnnl_nchw), dnnl.dnnl_query_dst_md, 0);
                return s.finish();
            }
        }

        Step backwardData() {
            if (backwardData == null) {
                try (OneDnn.Descs d = new OneDnn.Descs()) {
                    Step s = new Step(conv.backwardData(forwardHint()));
                    s.input(DNNL_ARG_DIFF_DST, d.tagged(conv.outputDims(), dnnl.dnnl_nchw),
                            dnnl.dnnl_query_diff_dst_md, 0);
                    s.input(DNNL_ARG_WEIGHTS, d.tagged(conv.weightDims(), conv.weightTag()),
                            dnnl.dnnl_query_weights_md, 0);
                    s.output(DNNL_ARG_DIFF_SRC, d.tagged(conv.sourceDims(), dnnl.dnnl_nchw),
                            dnnl.dnnl_query_diff_src_md, 0);
                    backwardData = s.finish();
                }
            }
            return backwardData;
        }

        Step backwardWeights() {
            if (backwardWeights == null) {
                try (OneDnn.Descs d = new OneDnn.Descs()) {
                    Step s = new Step(conv.backwardWeights(bias, forwardHint()));
                    s.input(DNNL_ARG_SRC, d.tagged(conv.sourceDims(), dnnl.dnnl_nchw), dnnl.dnnl_query_src_md, 0);
                    s.input(DNNL_ARG_DIFF_DST, d.tagged(conv.outputDims(), dnnl.dnnl_nchw),
                            dnnl.dnnl_query_diff_dst_md, 0);
                    s.output(DNNL_ARG_DIFF_WEIGHTS, d.tagged(conv.weightDims(), conv.weightTag()),
                            dnnl.dnnl_query_diff_weights_md, 0);
                    if (bias) {
                        s.output(DNNL_ARG_DIFF_BIAS, d.tagged(conv.biasDims(), dnnl.dnnl_x),
                                dnnl.dnnl_query_diff_weights_md, 1);
                    }
                    backwardWeights = s.finish();
                }
            }
            return backwardWeights;
        }

        @Override
        public void close() {
            for (Step s : new Step[]{forward, forwardRelu, backwardData, backwardWeights}) if (s != null) s.close();
            if (forwardHint != null) dnnl.dnnl_primitive_desc_destroy(forwardHint);
        }
    }

    // ---- one primitive with its operands -----------------------------------------------------------------------

    /**
     * A primitive and its operands. Each operand has memory in Nabla's plain layout, which the Java arrays are copied
     * into and out of, and, where the primitive wants another layout, memory in that layout with the reorder between
     * the two. The step's memories are its own {@link OneDnnParts}, numbered from scratch slot 0: a call runs one
     * step, so every step can use the same scratch buffers.
     */
    private final class Step implements AutoCloseable {
        private final OneDnnParts parts = new OneDnnParts(engine, stream, scratch);
        private final dnnl_primitive_desc pd;
        private final Map<Integer, Operand> operands = new LinkedHashMap<>();
        private OneDnnParts.Prim primitive;

        private record Operand(OneDnnParts.Mem plain, OneDnnParts.Mem wanted, OneDnnParts.Prim reorder,
                               boolean input) {
        }

        Step(dnnl_primitive_desc pd) {
            this.pd = parts.keep(pd);
        }

        void input(int arg, dnnl_memory_desc plain, int query, int index) {
            OneDnnParts.Mem p = parts.memory(plain);
            OneDnnParts.Mem wanted = parts.converted(p, OneDnnParts.query(pd, query, index));
            operands.put(arg, new Operand(p, wanted, parts.reorder(p, wanted), true));
        }

        void output(int arg, dnnl_memory_desc plain, int query, int index) {
            OneDnnParts.Mem wanted = parts.memory(OneDnnParts.query(pd, query, index));
            OneDnnParts.Mem p = parts.converted(wanted, plain);
            operands.put(arg, new Operand(p, wanted, parts.reorder(wanted, p), false));
        }

        Step finish() {
            Object[] args = new Object[2 * operands.size()];
            int i = 0;
            for (Map.Entry<Integer, Operand> e : operands.entrySet()) {
                args[i++] = e.getKey();
                args[i++] = e.getValue().wanted();
            }
            primitive = parts.primitive(pd, args);
            return this;
        }

        /** Copies {@code values[offset ..]}, as many floats as the operand holds, into its native buffer. */
        void load(int arg, float[] values, int offset) {
            OneDnnParts.Mem plain = operands.get(arg).plain();
            plain.onScratch().buffer.put(values, offset, (int) plain.floats);
        }

        /** Copies the operand's floats out to {@code values[offset ..]}. */
        void store(int arg, float[] values, int offset) {
            OneDnnParts.Mem plain = operands.get(arg).plain();
            plain.buffer.get(values, offset, (int) plain.floats);
        }

        void execute() {
            for (Operand o : operands.values()) {
                if (o.reorder() == null && o.input()) continue; // loaded where the primitive reads it
                o.wanted().onScratch();
                if (o.input()) o.reorder().run();
            }
            primitive.run();
            for (Operand o : operands.values()) {
                if (!o.input() && o.reorder() != null) {
                    o.plain().onScratch();
                    o.reorder().run();
                }
            }
            parts.finish();
        }

        @Override
        public void close() {
            parts.close();
        }
    }
}
