package dev.nabla.kernel;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.global.dnnl;

/**
 * A {@link ConvGeometry} told to oneDNN: its dimensions, strides, dilation and padding, and the descriptors of the
 * three convolution primitives, each with every tensor in the layout oneDNN prefers ({@code any}) except the bias.
 * The caller destroys the descriptors it gets.
 *
 * <p>A grouped convolution's weight is 5-D for oneDNN, {@code groups x outChannels/groups x inChannels/groups x KH x
 * KW}, whose plain layout ({@code goihw}) is exactly Nabla's {@code [F, C/groups, KH, KW]} array; one group keeps the
 * 4-D {@code oihw} weight. Padding goes in as oneDNN's left (top, left) and right (bottom, right) padding.
 *
 * <p>In bf16 ({@link Precision#BF16}) the tensors a primitive reads are bf16 (source and weight forward, output
 * gradient and weight or source backward) and those it writes float32 (output, input and weight gradients): the
 * callers' reorders from their float32 arrays round to bf16 on the way in.
 */
final class OneDnnConvDesc {

    private final dnnl_engine engine;
    final ConvGeometry g;
    private final long[] strides;
    private final long[] dilates;
    private final long[] paddingBefore;
    private final long[] paddingAfter;
    /** The data type of what the primitives read: {@code dnnl_f32}, or {@code dnnl_bf16} in bf16. */
    private final int read;

    OneDnnConvDesc(dnnl_engine engine, ConvGeometry g, boolean bf16) {
        this.engine = engine;
        this.g = g;
        read = bf16 ? dnnl.dnnl_bf16 : dnnl.dnnl_f32;
        strides = new long[]{g.strideH(), g.strideW()};
        // oneDNN counts dilation from 0 (no gaps), PyTorch from 1
        dilates = new long[]{g.dilationH() - 1L, g.dilationW() - 1L};
        // oneDNN's output size is floor((in + before + after - effective) / stride) + 1, the geometry's too
        paddingBefore = new long[]{g.padTop(), g.padLeft()};
        paddingAfter = new long[]{g.padBottom(), g.padRight()};
    }

    long[] sourceDims() {
        return new long[]{g.batch(), g.inChannels(), g.height(), g.width()};
    }

    long[] weightDims() {
        if (g.groups() == 1) return new long[]{g.outChannels(), g.inChannels(), g.kernelH(), g.kernelW()};
        return new long[]{g.groups(), g.groupOutChannels(), g.groupInChannels(), g.kernelH(), g.kernelW()};
    }

    /** The plain layout of Nabla's weight array for {@link #weightDims()}. */
    int weightTag() {
        return g.groups() == 1 ? dnnl.dnnl_oihw : dnnl.dnnl_goihw;
    }

    long[] outputDims() {
        return new long[]{g.batch(), g.outChannels(), g.outH(), g.outW()};
    }

    long[] biasDims() {
        return new long[]{g.outChannels()};
    }

    /** The forward convolution, with ReLU applied as each output block is written when {@code relu}. */
    dnnl_primitive_desc forward(boolean bias, boolean relu) {
        dnnl_primitive_attr attr = null;
        dnnl_post_ops postOps = null;
        try (OneDnn.Descs d = new OneDnn.Descs()) {
            if (relu) {
                attr = new dnnl_primitive_attr();
                postOps = new dnnl_post_ops();
                OneDnn.check(dnnl.dnnl_primitive_attr_create(attr), "create primitive attributes");
                OneDnn.check(dnnl.dnnl_post_ops_create(postOps), "create post-ops");
                OneDnn.check(dnnl.dnnl_post_ops_append_eltwise(postOps, dnnl.dnnl_eltwise_relu, 0f, 0f), "add a ReLU");
                OneDnn.check(dnnl.dnnl_primitive_attr_set_post_ops(attr, postOps), "attach a ReLU");
                OneDnn.userScratchpad(attr);
            }
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            OneDnn.check(dnnl.dnnl_convolution_forward_primitive_desc_create(pd, engine, dnnl.dnnl_forward_training,
                    dnnl.dnnl_convolution_direct, d.any(sourceDims(), read), d.any(weightDims(), read),
                    bias ? d.tagged(biasDims(), dnnl.dnnl_x) : null, d.any(outputDims()),
                    strides, dilates, paddingBefore, paddingAfter, attr != null ? attr : OneDnn.USER_SCRATCHPAD),
                    "set up a convolution for " + g);
            return pd;
        } finally {
            if (postOps != null) dnnl.dnnl_post_ops_destroy(postOps);
            if (attr != null) dnnl.dnnl_primitive_attr_destroy(attr);
        }
    }

    /** The input gradient; {@code forwardHint} is a forward descriptor of the same geometry. */
    dnnl_primitive_desc backwardData(dnnl_primitive_desc forwardHint) {
        try (OneDnn.Descs d = new OneDnn.Descs()) {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            OneDnn.check(dnnl.dnnl_convolution_backward_data_primitive_desc_create(pd, engine,
                    dnnl.dnnl_convolution_direct, d.any(sourceDims()), d.any(weightDims(), read),
                    d.any(outputDims(), read),
                    strides, dilates, paddingBefore, paddingAfter, forwardHint, OneDnn.USER_SCRATCHPAD),
                    "set up a convolution's input gradient for " + g);
            return pd;
        }
    }

    /** The weight (and bias) gradient; {@code forwardHint} is a forward descriptor of the same geometry. */
    dnnl_primitive_desc backwardWeights(boolean bias, dnnl_primitive_desc forwardHint) {
        try (OneDnn.Descs d = new OneDnn.Descs()) {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            OneDnn.check(dnnl.dnnl_convolution_backward_weights_primitive_desc_create(pd, engine,
                    dnnl.dnnl_convolution_direct, d.any(sourceDims(), read), d.any(weightDims()),
                    bias ? d.tagged(biasDims(), dnnl.dnnl_x) : null, d.any(outputDims(), read),
                    strides, dilates, paddingBefore, paddingAfter, forwardHint, OneDnn.USER_SCRATCHPAD),
                    "set up a convolution's weight gradient for " + g);
            return pd;
        }
    }
}
