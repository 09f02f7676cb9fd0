package dev.nabla.kernel;

import static dev.nabla.kernel.OneDnnParts.query;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.global.dnnl;

/**
 * A convolution with ReLU followed by max pooling, run as one block of oneDNN primitives: convolution (ReLU fused),
 * pooling, and for the gradient pooling backward, ReLU backward and the convolution's two backward passes.
 *
 * <p>Why one block: the convolution's output is the largest tensor of a small CNN. Run as two ops, it is copied to a
 * Java array and reordered to Nabla's plain layout, pooled, and its gradient masked by the ReLU, copied back and
 * reordered again. Here it stays native, in the blocked layout the convolution wrote it in, from the forward pass to
 * the backward one ({@link Saved}); only the input, the pooled output and their gradients cross over.
 *
 * <p>Memories and primitives are {@link OneDnnParts}, whose scratch buffers all plans share; what the
 * backward pass needs is kept in buffers taken from a free list by size and given back when the op releases it (after
 * its backward pass). State that is never released (a graph dropped without a backward pass, under grad mode) is
 * freed when the garbage collector reclaims it, as JavaCPP frees unreachable native memory.
 */
final class OneDnnConvReluPool {

    private static final int MAX_PLANS = 16;
    /** Free buffers kept per size, for the next step's saved tensors. */
    private static final int FREE_PER_SIZE = 4;

    private final dnnl_engine engine = OneDnn.cpuEngine();
    private final dnnl_stream stream = OneDnn.stream(engine);
    /** A plan with saved state still waiting for its backward pass stays, however old. */
    private final Map<Key, Plan> plans = OneDnn.recentlyUsed(MAX_PLANS, plan -> plan.savedStates > 0);
    private final java.util.Set<Key> unsupported = new java.util.HashSet<>();
    private final OneDnnParts.Scratch scratch = new OneDnnParts.Scratch();
    private final Map<Long, ArrayDeque<NativeFloats>> free = new HashMap<>();

    private record Key(ConvGeometry conv, PoolGeometry pool, boolean bias, boolean bf16) {
    }

    /** What the forward pass leaves for the backward one, in native memory; {@link #close} gives it back. */
    final class Saved implements AutoCloseable {
        private final Plan plan;
        private NativeFloats source;
        private NativeFloats activation;
        private NativeFloats workspace;

        private Saved(Plan plan) {
            this.plan = plan;
            plan.savedStates++;
            source = take(plan.source.floats);
            activation = take(plan.activation.floats);
            workspace = take(plan.workspace.floats);
        }

        @Override
        public void close() {
            synchronized (OneDnn.LOCK) {
                if (source == null) return;
                give(source);
                give(activation);
                give(workspace);
                source = activation = workspace = null;
                plan.savedStates--;
            }
        }
    }

    /**
     * Runs the block forward into {@code pooled}, keeping what the backward pass needs. Returns that state, or null,
     * having done nothing, where oneDNN does not take these geometries.
     */
    Saved forwardForBackward(ConvGeometry cg, PoolGeometry pg, float[] input, float[] weight, float[] bias,
                             float[] pooled) {
        synchronized (OneDnn.LOCK) {
            Plan plan = plan(cg, pg, bias != null);
            if (plan == null) return null;
            Saved saved = new Saved(plan);
            try {
                plan.forward(saved, input, 0, weight, bias, pooled, 0);
            } catch (RuntimeException e) {
                saved.close();
                throw e;
            }
            return saved;
        }
    }

    /**
     * Runs the block forward into {@code pooled} without keeping anything, {@code chunk} images at a time. Returns
     * false, having done nothing, where oneDNN does not take these geometries.
     */
    boolean forward(ConvGeometry cg, PoolGeometry pg, float[] input, float[] weight, float[] bias, float[] pooled,
                    int chunk) {
        synchronized (OneDnn.LOCK) {
            int imageFloats = cg.inChannels() * cg.height() * cg.width();
            int pooledFloats = pg.channels() * pg.outH() * pg.outW();
            for (int n = 0; n < cg.batch(); n += chunk) {
                int images = Math.min(chunk, cg.batch() - n);
                Plan plan = plan(cg.withBatch(images), pg.withBatch(images), bias != null);
                if (plan == null) return false;
                Saved saved = new Saved(plan);
                try {
                    plan.forward(saved, input, n * imageFloats, weight, bias, pooled, n * pooledFloats);
                } finally {
                    saved.close();
                }
            }
            return true;
        }
    }

    /**
     * Gradients of the block from the pooled output's gradient: {@code gradInput} unless null, {@code gradWeight}
     * (never null), and {@code gradBias} when the block has a bias. Overwrites them.
     */
    void backward(Saved saved, float[] gradPooled, float[] weight, float[] gradInput, float[] gradWeight,
                  float[] gradBias) {
        synchronized (OneDnn.LOCK) {
            if (saved.source == null) throw new IllegalStateException("conv2d+maxpool2d: backward after release");
            saved.plan.backward(saved, gradPooled, weight, gradInput, gradWeight, gradBias);
        }
    }

    /**
     * Whether oneDNN sets up the block for these geometries: the plan is built now and kept for the forward pass, and
     * with {@code backward} its backward primitives too (else they are built by the first backward pass).
     */
    boolean supports(ConvGeometry cg, PoolGeometry pg, boolean bias, boolean backward) {
        synchronized (OneDnn.LOCK) {
            Plan plan = plan(cg, pg, bias);
            if (plan == null) return false;
            if (!backward) return true;
            try {
                plan.backwardSetUp();
                return true;
            } catch (IllegalStateException notSetUp) {
                // from now on the forward pass declines these geometries too, so that no step starts that could not
                // finish
                unsupported.add(new Key(cg, pg, bias, Precision.bf16Now()));
                return false;
            }
        }
    }

    /** The plan, built on first use; null when oneDNN cannot set it up (remembered, so it is asked only once). */
    private Plan plan(ConvGeometry cg, PoolGeometry pg, boolean bias) {
        Key key = new Key(cg, pg, bias, Precision.bf16Now());
        if (unsupported.contains(key)) return null;
        Plan plan = plans.get(key);
        if (plan == null) {
            try {
                plan = new Plan(key);
            } catch (IllegalStateException notSetUp) {
                unsupported.add(key);
                return null;
            }
            plans.put(key, plan);
        }
        return plan;
    }

    // ---- buffers ---------------------------------------------------------------------------------------------------

    private NativeFloats take(long floats) {
        ArrayDeque<NativeFloats> list = free.get(floats);
        NativeFloats b = list == null ? null : list.poll();
        return b != null ? b : new NativeFloats(floats);
    }

    private void give(NativeFloats b) {
        ArrayDeque<NativeFloats> list = free.computeIfAbsent(b.floats, f -> new ArrayDeque<>());
        if (list.size() < FREE_PER_SIZE) list.push(b);
        else b.close();
    }

    // ---- one pair of geometries --------------------------------------------------------------------------------

    /** The block's primitives and memories for one pair of geometries; the backward ones are built on first use. */
    private final class Plan implements AutoCloseable {
        private final Key key;
        private final ConvGeometry g;
        final OneDnnParts parts = new OneDnnParts(engine, stream, scratch);

        private final OneDnnConvDesc conv;
        private final dnnl_primitive_desc convForwardDesc;
        private final OneDnnParts.Mem inputPlain;
        final OneDnnParts.Mem source;
        private final OneDnnParts.Mem weightPlain;
        private final OneDnnParts.Mem weight;
        private final OneDnnParts.Mem bias;
        final OneDnnParts.Mem activation;
        final OneDnnParts.Mem workspace;
        private final OneDnnParts.Mem pooled;
        private final OneDnnParts.Mem pooledPlain;
        private final OneDnnParts.Prim sourceIn;
        private final OneDnnParts.Prim weightIn;
        private final OneDnnParts.Prim convForward;
        private final OneDnnParts.Prim poolForward;
        private final OneDnnParts.Prim pooledOut;
        private final dnnl_primitive_desc poolForwardDesc;
        private final long[][] poolParams;

        private Backward backward;
        /** Saved states not yet released: the plan must outlive them. */
        int savedStates;

        Plan(Key key) {
            this.key = key;
            this.g = key.conv();
            PoolGeometry p = key.pool();
            conv = new OneDnnConvDesc(engine, g, key.bf16());
            poolParams = new long[][]{{p.strideH(), p.strideW()}, {p.kernelH(), p.kernelW()}, {0, 0},
                    {p.padH(), p.padW()}, {p.padH(), p.padW()}};
            try (OneDnn.Descs d = new OneDnn.Descs()) {
                convForwardDesc = parts.keep(conv.forward(key.bias(), true));
                dnnl_memory_desc sourceMd = query(convForwardDesc, dnnl.dnnl_query_src_md, 0);
                dnnl_memory_desc weightMd = query(convForwardDesc, dnnl.dnnl_query_weights_md, 0);
                dnnl_memory_desc activationMd = query(convForwardDesc, dnnl.dnnl_query_dst_md, 0);
                poolForwardDesc = new dnnl_primitive_desc();
                OneDnn.check(dnnl.dnnl_pooling_forward_primitive_desc_create(poolForwardDesc, engine,
                        dnnl.dnnl_forward_training, dnnl.dnnl_pooling_max, activationMd, d.any(pooledDims()),
                        poolParams[0], poolParams[1], poolParams[2], poolParams[3], poolParams[4], OneDnn.USER_SCRATCHPAD),
                        "set up max pooling for " + key.pool());
                parts.keep(poolForwardDesc);
                dnnl_memory_desc pooledMd = query(poolForwardDesc, dnnl.dnnl_query_dst_md, 0);

                inputPlain = parts.memory(d.tagged(conv.sourceDims(), dnnl.dnnl_nchw));
                source = parts.converted(inputPlain, sourceMd);
                sourceIn = parts.reorder(inputPlain, source);
                weightPlain = parts.memory(d.tagged(conv.weightDims(), conv.weightTag()));
                weight = parts.converted(weightPlain, weightMd);
                weightIn = parts.reorder(weightPlain, weight);
                bias = key.bias() ? parts.memory(d.tagged(conv.biasDims(), dnnl.dnnl_x)) : null;
                activation = parts.memory(activationMd);
                workspace = parts.memory(query(poolForwardDesc, dnnl.dnnl_query_workspace_md, 0));
                pooled = parts.memory(pooledMd);
                pooledPlain = parts.converted(pooled, d.tagged(pooledDims(), dnnl.dnnl_nchw));
                pooledOut = parts.reorder(pooled, pooledPlain);
                convForward = key.bias()
                        ? parts.primitive(convForwardDesc, DNNL_ARG_SRC, source, DNNL_ARG_WEIGHTS, weight,
                        DNNL_ARG_BIAS, bias, DNNL_ARG_DST, activation)
                        : parts.primitive(convForwardDesc, DNNL_ARG_SRC, source, DNNL_ARG_WEIGHTS, weight,
                        DNNL_ARG_DST, activation);
                poolForward = parts.primitive(poolForwardDesc, DNNL_ARG_SRC, activation, DNNL_ARG_DST, pooled,
                        DNNL_ARG_WORKSPACE, workspace);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        private long[] pooledDims() {
            PoolGeometry p = key.pool();
            return new long[]{p.batch(), p.channels(), p.outH(), p.outW()};
        }

        /** Images from {@code input[inputOffset ..]}, pooled into {@code out[outOffset ..]}. */
        void forward(Saved s, float[] input, int inputOffset, float[] weights, float[] biasValues, float[] out,
                     int outOffset) {
            source.on(s.source);
            if (sourceIn != null) inputPlain.onScratch();
            inputPlain.buffer.put(input, inputOffset, (int) inputPlain.floats);
            if (sourceIn != null) sourceIn.run();
            loadWeights(weights, weightPlain, weight, weightIn);
            if (bias != null) bias.onScratch().buffer.put(biasValues, 0, (int) bias.floats);
            activation.on(s.activation);
            convForward.run();
            workspace.on(s.workspace);
            pooled.onScratch();
            poolForward.run();
            if (pooledOut != null) {
                pooledPlain.onScratch();
                pooledOut.run();
            }
            parts.finish();
            pooledPlain.buffer.get(out, outOffset, (int) pooledPlain.floats);
        }

        void backward(Saved s, float[] gradPooled, float[] weights, float[] gradInput, float[] gradWeight,
                      float[] gradBias) {
            if (backward == null) backward = new Backward(this);
            backward.run(s, gradPooled, weights, gradInput, gradWeight, gradBias);
        }

        /** Builds the backward half now, with the input gradient's primitive (else built when first needed). */
        void backwardSetUp() {
            if (backward == null) backward = new Backward(this);
            backward.dataSetUp();
        }

        private void loadWeights(float[] values, OneDnnParts.Mem plain, OneDnnParts.Mem wanted,
                                 OneDnnParts.Prim in) {
            plain.onScratch().buffer.put(values, 0, (int) plain.floats);
            if (in != null) {
                wanted.onScratch();
                in.run();
            }
        }

        @Override
        public void close() {
            parts.close();
        }
    }

    /** A plan's backward half: pooling backward, ReLU backward, weight gradient and (when asked) input gradient. */
    private final class Backward {
        private final Plan p;
        private final OneDnnParts.Mem gradPooledPlain;
        private final OneDnnParts.Mem gradPooled;
        private final OneDnnParts.Prim gradPooledIn;
        private final OneDnnParts.Mem gradActivation;
        private final OneDnnParts.Prim poolBackward;
        private final OneDnnParts.Prim reluBackward;
        private final OneDnnParts.Mem weightSource;
        private final OneDnnParts.Prim weightSourceIn;
        private final OneDnnParts.Mem weightGradOut;
        private final OneDnnParts.Prim weightGradOutIn;
        private final OneDnnParts.Mem gradWeight;
        private final OneDnnParts.Mem gradWeightPlain;
        private final OneDnnParts.Prim gradWeightOut;
        private final OneDnnParts.Mem gradBias;
        private final OneDnnParts.Prim weightBackward;
        private DataBackward data;

        Backward(Plan p) {
            this.p = p;
            try (OneDnn.Descs d = new OneDnn.Descs()) {
                dnnl_primitive_desc poolPd = p.parts.keep(new dnnl_primitive_desc());
                long[][] pp = p.poolParams;
                OneDnn.check(dnnl.dnnl_pooling_backward_primitive_desc_create(poolPd, engine, dnnl.dnnl_pooling_max,
                        p.activation.desc, p.pooled.desc, pp[0], pp[1], pp[2], pp[3], pp[4], p.poolForwardDesc,
                        OneDnn.USER_SCRATCHPAD), "set up max pooling's gradient");
                gradPooledPlain = p.parts.memory(p.pooledPlain.desc);
                gradPooled = p.parts.converted(gradPooledPlain, query(poolPd, dnnl.dnnl_query_diff_dst_md, 0));
                gradPooledIn = p.parts.reorder(gradPooledPlain, gradPooled);
                gradActivation = p.parts.memory(p.activation.desc);
                poolBackward = p.parts.primitive(poolPd, DNNL_ARG_DIFF_DST, gradPooled, DNNL_ARG_WORKSPACE, p.workspace,
                        DNNL_ARG_DIFF_SRC, gradActivation);

                // ReLU's gradient from its output (positive exactly where its input was), in place
                dnnl_primitive_desc reluHint = p.parts.keep(new dnnl_primitive_desc());
                OneDnn.check(dnnl.dnnl_eltwise_forward_primitive_desc_create(reluHint, engine,
                        dnnl.dnnl_forward_training, dnnl.dnnl_eltwise_relu_use_dst_for_bwd, p.activation.desc,
                        p.activation.desc, 0f, 0f, OneDnn.USER_SCRATCHPAD), "set up a ReLU");
                dnnl_primitive_desc reluPd = p.parts.keep(new dnnl_primitive_desc());
                OneDnn.check(dnnl.dnnl_eltwise_backward_primitive_desc_create(reluPd, engine,
                        dnnl.dnnl_eltwise_relu_use_dst_for_bwd, p.activation.desc, p.activation.desc,
                        p.activation.desc, 0f, 0f, reluHint, OneDnn.USER_SCRATCHPAD), "set up ReLU's gradient");
                reluBackward = p.parts.primitive(reluPd, DNNL_ARG_DST, p.activation, DNNL_ARG_DIFF_DST, gradActivation,
                        DNNL_ARG_DIFF_SRC, gradActivation);

                dnnl_primitive_desc weightPd = p.parts.keep(p.conv.backwardWeights(p.key.bias(), p.convForwardDesc));
                weightSource = p.parts.converted(p.source, query(weightPd, dnnl.dnnl_query_src_md, 0));
                weightSourceIn = p.parts.reorder(p.source, weightSource);
                weightGradOut = p.parts.converted(gradActivation, query(weightPd, dnnl.dnnl_query_diff_dst_md, 0));
                weightGradOutIn = p.parts.reorder(gradActivation, weightGradOut);
                gradWeight = p.parts.memory(query(weightPd, dnnl.dnnl_query_diff_weights_md, 0));
                gradWeightPlain = p.parts.converted(gradWeight, d.tagged(p.conv.weightDims(), p.conv.weightTag()));
                gradWeightOut = p.parts.reorder(gradWeight, gradWeightPlain);
                gradBias = p.key.bias() ? p.parts.memory(query(weightPd, dnnl.dnnl_query_diff_weights_md, 1)) : null;
                weightBackward = gradBias == null
                        ? p.parts.primitive(weightPd, DNNL_ARG_SRC, weightSource, DNNL_ARG_DIFF_DST, weightGradOut,
                        DNNL_ARG_DIFF_WEIGHTS, gradWeight)
                        : p.parts.primitive(weightPd, DNNL_ARG_SRC, weightSource, DNNL_ARG_DIFF_DST, weightGradOut,
                        DNNL_ARG_DIFF_WEIGHTS, gradWeight, DNNL_ARG_DIFF_BIAS, gradBias);
            }
        }

        DataBackward dataSetUp() {
            if (data == null) data = new DataBackward(p, gradActivation);
            return data;
        }

        void run(Saved s, float[] gradPooledValues, float[] weights, float[] gradInput, float[] gradWeightValues,
                 float[] gradBiasValues) {
            gradPooledPlain.onScratch().buffer.put(gradPooledValues, 0,
                    (int) gradPooledPlain.floats);
            if (gradPooledIn != null) {
                gradPooled.onScratch();
                gradPooledIn.run();
            }
            p.workspace.on(s.workspace);
            p.activation.on(s.activation);
            gradActivation.onScratch();
            poolBackward.run();
            reluBackward.run();

            p.source.on(s.source);
            if (weightSourceIn != null) {
                weightSource.onScratch();
                weightSourceIn.run();
            }
            if (weightGradOutIn != null) {
                weightGradOut.onScratch();
                weightGradOutIn.run();
            }
            gradWeight.onScratch();
            if (gradBias != null) gradBias.onScratch();
            weightBackward.run();
            if (gradWeightOut != null) {
                gradWeightPlain.onScratch();
                gradWeightOut.run();
            }
            if (gradInput != null) dataSetUp().run(weights);
            p.parts.finish();
            gradWeightPlain.buffer.get(gradWeightValues, 0, (int) gradWeightPlain.floats);
            if (gradBias != null) gradBias.buffer.get(gradBiasValues, 0, (int) gradBias.floats);
            if (gradInput != null) data.store(gradInput);
        }
    }

    /** The input gradient of a block's convolution, built the first time a block's input needs one. */
    private final class DataBackward {
        private final Plan p;
        private final OneDnnParts.Mem weightPlain;
        private final OneDnnParts.Mem weight;
        private final OneDnnParts.Prim weightIn;
        private final OneDnnParts.Mem gradActivation;
        private final OneDnnParts.Mem gradOut;
        private final OneDnnParts.Prim gradOutIn;
        private final OneDnnParts.Mem gradSource;
        private final OneDnnParts.Mem gradInputPlain;
        private final OneDnnParts.Prim gradInputOut;
        private final OneDnnParts.Prim dataBackward;

        DataBackward(Plan p, OneDnnParts.Mem gradActivation) {
            this.p = p;
            this.gradActivation = gradActivation;
            try (OneDnn.Descs d = new OneDnn.Descs()) {
                dnnl_primitive_desc pd = p.parts.keep(p.conv.backwardData(p.convForwardDesc));
                weightPlain = p.weightPlain;
                weight = p.parts.converted(weightPlain, query(pd, dnnl.dnnl_query_weights_md, 0));
                weightIn = p.parts.reorder(weightPlain, weight);
                gradOut = p.parts.converted(gradActivation, query(pd, dnnl.dnnl_query_diff_dst_md, 0));
                gradOutIn = p.parts.reorder(gradActivation, gradOut);
                gradSource = p.parts.memory(query(pd, dnnl.dnnl_query_diff_src_md, 0));
                gradInputPlain = p.parts.converted(gradSource, d.tagged(p.conv.sourceDims(), dnnl.dnnl_nchw));
                gradInputOut = p.parts.reorder(gradSource, gradInputPlain);
                dataBackward = p.parts.primitive(pd, DNNL_ARG_DIFF_DST, gradOut, DNNL_ARG_WEIGHTS, weight,
                        DNNL_ARG_DIFF_SRC, gradSource);
            }
        }

        void run(float[] weights) {
            p.loadWeights(weights, weightPlain, weight, weightIn);
            if (gradOutIn != null) {
                gradOut.onScratch();
                gradOutIn.run();
            }
            gradSource.onScratch();
            dataBackward.run();
            if (gradInputOut != null) {
                gradInputPlain.onScratch();
                gradInputOut.run();
            }
        }

        void store(float[] gradInput) {
            gradInputPlain.buffer.get(gradInput, 0, (int) gradInputPlain.floats);
        }
    }
}
