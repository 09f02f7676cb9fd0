package dev.nabla.kernel;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
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
 * <p>Scratch buffers are shared by all plans (calls hold {@link OneDnn#LOCK} and finish with their data); what the
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
    private final List<NativeFloats> scratch = new ArrayList<>();
    private final Map<Long, ArrayDeque<NativeFloats>> free = new HashMap<>();

    private record Key(ConvGeometry conv, PoolGeometry pool, boolean bias) {
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
                Plan plan = plan(withBatch(cg, images), withBatch(pg, images), bias != null);
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

    private static ConvGeometry withBatch(ConvGeometry g, int batch) {
        return batch == g.batch() ? g : new ConvGeometry(batch, g.inChannels(), g.height(), g.width(),
                g.outChannels(), g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), g.padH(), g.padW(),
                g.dilationH(), g.dilationW());
    }

    private static PoolGeometry withBatch(PoolGeometry p, int batch) {
        return batch == p.batch() ? p : new PoolGeometry(p.op(), batch, p.channels(), p.height(), p.width(),
                p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padH(), p.padW());
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

    /** The plan, built on first use; null when oneDNN cannot set it up (remembered, so it is asked only once). */
    private Plan plan(ConvGeometry cg, PoolGeometry pg, boolean bias) {
        Key key = new Key(cg, pg, bias);
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

    private NativeFloats scratch(int slot, long floats) {
        while (scratch.size() <= slot) scratch.add(null);
        NativeFloats b = scratch.get(slot);
        if (b == null || b.floats < floats) {
            if (b != null) b.close();
            b = new NativeFloats(floats);
            scratch.set(slot, b);
        }
        return b;
    }

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
        private final List<AutoCloseable> owned = new ArrayList<>();
        private final List<dnnl_primitive_desc> descs = new ArrayList<>();
        private int slots;

        private final OneDnnConvDesc conv;
        private final dnnl_primitive_desc convForwardDesc;
        private final Mem inputPlain;
        final Mem source;
        private final Mem weightPlain;
        private final Mem weight;
        private final Mem bias;
        final Mem activation;
        final Mem workspace;
        private final Mem pooled;
        private final Mem pooledPlain;
        private final Prim sourceIn;
        private final Prim weightIn;
        private final Prim convForward;
        private final Prim poolForward;
        private final Prim pooledOut;
        private final dnnl_primitive_desc poolForwardDesc;
        private final long[][] poolParams;

        private Backward backward;
        /** Saved states not yet released: the plan must outlive them. */
        int savedStates;

        Plan(Key key) {
            this.key = key;
            this.g = key.conv();
            PoolGeometry p = key.pool();
            conv = new OneDnnConvDesc(engine, g);
            poolParams = new long[][]{{p.strideH(), p.strideW()}, {p.kernelH(), p.kernelW()}, {0, 0},
                    {p.padH(), p.padW()}, {p.padH(), p.padW()}};
            try (OneDnn.Descs d = new OneDnn.Descs()) {
                convForwardDesc = keep(conv.forward(key.bias(), true));
                dnnl_memory_desc sourceMd = query(convForwardDesc, dnnl.dnnl_query_src_md, 0);
                dnnl_memory_desc weightMd = query(convForwardDesc, dnnl.dnnl_query_weights_md, 0);
                dnnl_memory_desc activationMd = query(convForwardDesc, dnnl.dnnl_query_dst_md, 0);
                poolForwardDesc = new dnnl_primitive_desc();
                OneDnn.check(dnnl.dnnl_pooling_forward_primitive_desc_create(poolForwardDesc, engine,
                        dnnl.dnnl_forward_training, dnnl.dnnl_pooling_max, activationMd, d.any(pooledDims()),
                        poolParams[0], poolParams[1], poolParams[2], poolParams[3], poolParams[4], null),
                        "set up max pooling for " + key.pool());
                keep(poolForwardDesc);
                dnnl_memory_desc pooledMd = query(poolForwardDesc, dnnl.dnnl_query_dst_md, 0);

                inputPlain = new Mem(d.tagged(conv.sourceDims(), dnnl.dnnl_nchw));
                source = converted(inputPlain, sourceMd);
                sourceIn = reorder(inputPlain, source);
                weightPlain = new Mem(d.tagged(conv.weightDims(), dnnl.dnnl_oihw));
                weight = converted(weightPlain, weightMd);
                weightIn = reorder(weightPlain, weight);
                bias = key.bias() ? new Mem(d.tagged(conv.biasDims(), dnnl.dnnl_x)) : null;
                activation = new Mem(activationMd);
                workspace = new Mem(query(poolForwardDesc, dnnl.dnnl_query_workspace_md, 0));
                pooled = new Mem(pooledMd);
                pooledPlain = converted(pooled, d.tagged(pooledDims(), dnnl.dnnl_nchw));
                pooledOut = reorder(pooled, pooledPlain);
                convForward = key.bias()
                        ? new Prim(convForwardDesc, DNNL_ARG_SRC, source, DNNL_ARG_WEIGHTS, weight, DNNL_ARG_BIAS, bias,
                        DNNL_ARG_DST, activation)
                        : new Prim(convForwardDesc, DNNL_ARG_SRC, source, DNNL_ARG_WEIGHTS, weight, DNNL_ARG_DST,
                        activation);
                poolForward = new Prim(poolForwardDesc, DNNL_ARG_SRC, activation, DNNL_ARG_DST, pooled,
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
            if (sourceIn != null) inputPlain.on(scratchOf(inputPlain));
            inputPlain.buffer.put(input, inputOffset, (int) inputPlain.floats);
            if (sourceIn != null) sourceIn.run();
            loadWeights(weights, weightPlain, weight, weightIn);
            if (bias != null) bias.on(scratchOf(bias)).buffer.put(biasValues, 0, (int) bias.floats);
            activation.on(s.activation);
            convForward.run();
            workspace.on(s.workspace);
            pooled.on(scratchOf(pooled));
            poolForward.run();
            if (pooledOut != null) {
                pooledPlain.on(scratchOf(pooledPlain));
                pooledOut.run();
            }
            finish();
            pooledPlain.buffer.get(out, outOffset, (int) pooledPlain.floats);
        }

        void backward(Saved s, float[] gradPooled, float[] weights, float[] gradInput, float[] gradWeight,
                      float[] gradBias) {
            if (backward == null) backward = new Backward(this);
            backward.run(s, gradPooled, weights, gradInput, gradWeight, gradBias);
        }

        private void loadWeights(float[] values, Mem plain, Mem wanted, Prim in) {
            plain.on(scratchOf(plain)).buffer.put(values, 0, (int) plain.floats);
            if (in != null) {
                wanted.on(scratchOf(wanted));
                in.run();
            }
        }

        void finish() {
            OneDnn.check(dnnl.dnnl_stream_wait(stream), "wait for the convolution block");
        }

        // ---- set-up helpers ------------------------------------------------------------------------------------

        dnnl_primitive_desc keep(dnnl_primitive_desc pd) {
            descs.add(pd);
            return pd;
        }

        dnnl_memory_desc query(dnnl_primitive_desc pd, int what, int index) {
            return dnnl.dnnl_primitive_desc_query_md(pd, what, index);
        }

        /** {@code have} itself when it already is in the {@code wanted} layout, else a memory in that layout. */
        Mem converted(Mem have, dnnl_memory_desc wanted) {
            return dnnl.dnnl_memory_desc_equal(have.desc, wanted) != 0 ? have : new Mem(wanted);
        }

        /** The reorder from one memory to the other, or null when they are the same memory. */
        Prim reorder(Mem from, Mem to) {
            if (from == to) return null;
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            OneDnn.check(dnnl.dnnl_reorder_primitive_desc_create(pd, from.desc, engine, to.desc, engine, null),
                    "set up a layout reorder");
            keep(pd);
            return new Prim(pd, DNNL_ARG_FROM, from, DNNL_ARG_TO, to);
        }

        NativeFloats scratchOf(Mem m) {
            return scratch(m.slot, m.floats);
        }

        @Override
        public void close() {
            for (int i = owned.size() - 1; i >= 0; i--) {
                try {
                    owned.get(i).close();
                } catch (Exception ignored) {
                    // closing native handles throws nothing checked; the interface only says it may
                }
            }
            for (dnnl_primitive_desc pd : descs) dnnl.dnnl_primitive_desc_destroy(pd);
        }

        /** A memory of the plan, with its own scratch slot; which buffer it points at is set per call. */
        final class Mem implements AutoCloseable {
            final dnnl_memory memory = new dnnl_memory();
            /** Valid while the plan lives: descriptors queried from its primitive descs, or copied by the memory. */
            final dnnl_memory_desc desc;
            final long floats;
            final int slot = slots++;
            NativeFloats buffer;

            Mem(dnnl_memory_desc md) {
                OneDnn.check(dnnl.dnnl_memory_create(memory, md, engine, null), "create a memory");
                owned.add(this);
                dnnl_memory_desc own = new dnnl_memory_desc();
                OneDnn.check(dnnl.dnnl_memory_get_memory_desc(memory, own), "read a memory's descriptor");
                desc = own;
                floats = NativeFloats.forBytes(dnnl.dnnl_memory_desc_get_size(md));
            }

            Mem on(NativeFloats b) {
                OneDnn.check(dnnl.dnnl_memory_set_data_handle(memory, b.pointer()), "attach a buffer");
                buffer = b;
                return this;
            }

            @Override
            public void close() {
                dnnl.dnnl_memory_destroy(memory);
            }
        }

        /** A primitive with its arguments: pairs of argument kind and memory. */
        final class Prim implements AutoCloseable {
            private final dnnl_primitive primitive = new dnnl_primitive();
            private final dnnl_exec_arg_t args;
            private final int count;

            Prim(dnnl_primitive_desc pd, Object... kindsAndMemories) {
                OneDnn.check(dnnl.dnnl_primitive_create(primitive, pd), "create a primitive");
                owned.add(this);
                count = kindsAndMemories.length / 2;
                args = new dnnl_exec_arg_t(count);
                for (int i = 0; i < count; i++) {
                    args.position(i).arg((Integer) kindsAndMemories[2 * i])
                            .memory(((Mem) kindsAndMemories[2 * i + 1]).memory);
                }
                args.position(0);
            }

            void run() {
                OneDnn.check(dnnl.dnnl_primitive_execute(primitive, stream, count, args), "run a primitive");
            }

            @Override
            public void close() {
                dnnl.dnnl_primitive_destroy(primitive);
                args.close();
            }
        }
    }

    /** The backward half of a plan: pooling backward, ReLU backward, weight gradient and (when asked) input gradient. */
    private final class Backward {
        private final Plan p;
        private final Plan.Mem gradPooledPlain;
        private final Plan.Mem gradPooled;
        private final Plan.Prim gradPooledIn;
        private final Plan.Mem gradActivation;
        private final Plan.Prim poolBackward;
        private final Plan.Prim reluBackward;
        private final Plan.Mem weightSource;
        private final Plan.Prim weightSourceIn;
        private final Plan.Mem weightGradOut;
        private final Plan.Prim weightGradOutIn;
        private final Plan.Mem gradWeight;
        private final Plan.Mem gradWeightPlain;
        private final Plan.Prim gradWeightOut;
        private final Plan.Mem gradBias;
        private final Plan.Prim weightBackward;
        private DataBackward data;

        Backward(Plan p) {
            this.p = p;
            try (OneDnn.Descs d = new OneDnn.Descs()) {
                dnnl_primitive_desc poolPd = p.keep(new dnnl_primitive_desc());
                long[][] pp = p.poolParams;
                OneDnn.check(dnnl.dnnl_pooling_backward_primitive_desc_create(poolPd, engine, dnnl.dnnl_pooling_max,
                        p.activation.desc, p.pooled.desc, pp[0], pp[1], pp[2], pp[3], pp[4], p.poolForwardDesc,
                        null), "set up max pooling's gradient");
                gradPooledPlain = p.new Mem(p.pooledPlain.desc);
                gradPooled = p.converted(gradPooledPlain, p.query(poolPd, dnnl.dnnl_query_diff_dst_md, 0));
                gradPooledIn = p.reorder(gradPooledPlain, gradPooled);
                gradActivation = p.new Mem(p.activation.desc);
                poolBackward = p.new Prim(poolPd, DNNL_ARG_DIFF_DST, gradPooled, DNNL_ARG_WORKSPACE, p.workspace,
                        DNNL_ARG_DIFF_SRC, gradActivation);

                // ReLU's gradient from its output (positive exactly where its input was), in place
                dnnl_primitive_desc reluHint = p.keep(new dnnl_primitive_desc());
                OneDnn.check(dnnl.dnnl_eltwise_forward_primitive_desc_create(reluHint, engine,
                        dnnl.dnnl_forward_training, dnnl.dnnl_eltwise_relu_use_dst_for_bwd, p.activation.desc,
                        p.activation.desc, 0f, 0f, null), "set up a ReLU");
                dnnl_primitive_desc reluPd = p.keep(new dnnl_primitive_desc());
                OneDnn.check(dnnl.dnnl_eltwise_backward_primitive_desc_create(reluPd, engine,
                        dnnl.dnnl_eltwise_relu_use_dst_for_bwd, p.activation.desc, p.activation.desc,
                        p.activation.desc, 0f, 0f, reluHint, null), "set up ReLU's gradient");
                reluBackward = p.new Prim(reluPd, DNNL_ARG_DST, p.activation, DNNL_ARG_DIFF_DST, gradActivation,
                        DNNL_ARG_DIFF_SRC, gradActivation);

                dnnl_primitive_desc weightPd = p.keep(p.conv.backwardWeights(p.key.bias(), p.convForwardDesc));
                weightSource = p.converted(p.source, p.query(weightPd, dnnl.dnnl_query_src_md, 0));
                weightSourceIn = p.reorder(p.source, weightSource);
                weightGradOut = p.converted(gradActivation, p.query(weightPd, dnnl.dnnl_query_diff_dst_md, 0));
                weightGradOutIn = p.reorder(gradActivation, weightGradOut);
                gradWeight = p.new Mem(p.query(weightPd, dnnl.dnnl_query_diff_weights_md, 0));
                gradWeightPlain = p.converted(gradWeight, d.tagged(p.conv.weightDims(), dnnl.dnnl_oihw));
                gradWeightOut = p.reorder(gradWeight, gradWeightPlain);
                gradBias = p.key.bias() ? p.new Mem(p.query(weightPd, dnnl.dnnl_query_diff_weights_md, 1)) : null;
                weightBackward = gradBias == null
                        ? p.new Prim(weightPd, DNNL_ARG_SRC, weightSource, DNNL_ARG_DIFF_DST, weightGradOut,
                        DNNL_ARG_DIFF_WEIGHTS, gradWeight)
                        : p.new Prim(weightPd, DNNL_ARG_SRC, weightSource, DNNL_ARG_DIFF_DST, weightGradOut,
                        DNNL_ARG_DIFF_WEIGHTS, gradWeight, DNNL_ARG_DIFF_BIAS, gradBias);
            }
        }

        void run(Saved s, float[] gradPooledValues, float[] weights, float[] gradInput, float[] gradWeightValues,
                 float[] gradBiasValues) {
            gradPooledPlain.on(p.scratchOf(gradPooledPlain)).buffer.put(gradPooledValues, 0,
                    (int) gradPooledPlain.floats);
            if (gradPooledIn != null) {
                gradPooled.on(p.scratchOf(gradPooled));
                gradPooledIn.run();
            }
            p.workspace.on(s.workspace);
            p.activation.on(s.activation);
            gradActivation.on(p.scratchOf(gradActivation));
            poolBackward.run();
            reluBackward.run();

            p.source.on(s.source);
            if (weightSourceIn != null) {
                weightSource.on(p.scratchOf(weightSource));
                weightSourceIn.run();
            }
            if (weightGradOutIn != null) {
                weightGradOut.on(p.scratchOf(weightGradOut));
                weightGradOutIn.run();
            }
            gradWeight.on(p.scratchOf(gradWeight));
            if (gradBias != null) gradBias.on(p.scratchOf(gradBias));
            weightBackward.run();
            if (gradWeightOut != null) {
                gradWeightPlain.on(p.scratchOf(gradWeightPlain));
                gradWeightOut.run();
            }
            if (gradInput != null) {
                if (data == null) data = new DataBackward(p, gradActivation);
                data.run(weights);
            }
            p.finish();
            gradWeightPlain.buffer.get(gradWeightValues, 0, (int) gradWeightPlain.floats);
            if (gradBias != null) gradBias.buffer.get(gradBiasValues, 0, (int) gradBias.floats);
            if (gradInput != null) data.store(gradInput);
        }
    }

    /** The input gradient of a block's convolution, built the first time a block's input needs one. */
    private final class DataBackward {
        private final Plan p;
        private final Plan.Mem weightPlain;
        private final Plan.Mem weight;
        private final Plan.Prim weightIn;
        private final Plan.Mem gradActivation;
        private final Plan.Mem gradOut;
        private final Plan.Prim gradOutIn;
        private final Plan.Mem gradSource;
        private final Plan.Mem gradInputPlain;
        private final Plan.Prim gradInputOut;
        private final Plan.Prim dataBackward;

        DataBackward(Plan p, Plan.Mem gradActivation) {
            this.p = p;
            this.gradActivation = gradActivation;
            try (OneDnn.Descs d = new OneDnn.Descs()) {
                dnnl_primitive_desc pd = p.keep(p.conv.backwardData(p.convForwardDesc));
                weightPlain = p.weightPlain;
                weight = p.converted(weightPlain, p.query(pd, dnnl.dnnl_query_weights_md, 0));
                weightIn = p.reorder(weightPlain, weight);
                gradOut = p.converted(gradActivation, p.query(pd, dnnl.dnnl_query_diff_dst_md, 0));
                gradOutIn = p.reorder(gradActivation, gradOut);
                gradSource = p.new Mem(p.query(pd, dnnl.dnnl_query_diff_src_md, 0));
                gradInputPlain = p.converted(gradSource, d.tagged(p.conv.sourceDims(), dnnl.dnnl_nchw));
                gradInputOut = p.reorder(gradSource, gradInputPlain);
                dataBackward = p.new Prim(pd, DNNL_ARG_DIFF_DST, gradOut, DNNL_ARG_WEIGHTS, weight,
                        DNNL_ARG_DIFF_SRC, gradSource);
            }
        }

        void run(float[] weights) {
            p.loadWeights(weights, weightPlain, weight, weightIn);
            if (gradOutIn != null) {
                gradOut.on(p.scratchOf(gradOut));
                gradOutIn.run();
            }
            gradSource.on(p.scratchOf(gradSource));
            dataBackward.run();
            if (gradInputOut != null) {
                gradInputPlain.on(p.scratchOf(gradInputPlain));
                gradInputOut.run();
            }
        }

        void store(float[] gradInput) {
            gradInputPlain.buffer.get(gradInput, 0, (int) gradInputPlain.floats);
        }
    }
}
