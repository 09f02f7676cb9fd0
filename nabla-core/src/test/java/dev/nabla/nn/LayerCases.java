package dev.nabla.nn;

import dev.nabla.testing.LayerCase;

import java.util.List;

import static dev.nabla.testing.LayerCase.of;

/**
 * The layer harness's table: one line (or a few) per registered layer type, read by {@link LayerHarnessTest}, which
 * fails for a registered type without a line. A new layer costs its class, its registration in {@link Layers} and a
 * line here: its command-line token, the per-sample shape of each input, its parameter count, and
 * {@code seeded()} if its initial state depends on the seed, {@code modeDependent()} if training and inference
 * differ, {@code ids(n)} for token-id inputs, {@code spaced()} where ties between inputs would be kinks (max pooling).
 * Keep shapes small: every line runs a gradient check over every input and parameter element. ReLU after a weighted
 * sum may sit within a step of its kink: such lines take a smaller step ({@code gradientCheck(1e-3, 2e-2)}).
 */
final class LayerCases {

    private LayerCases() {
    }

    static final List<LayerCase> ALL = List.of(
            // layers with weights (also checked against PyTorch in GoldenLayerTest)
            of("dense:3").input(4).params(4 * 3 + 3).seeded(),
            of("dense:3:relu").input(2, 4).params(4 * 3 + 3).seeded().gradientCheck(1e-3, 2e-2).masked(),
            of("dense:2:tanh:use_bias=false").input(5).params(5 * 2).seeded(),
            of("dense:3:softmax:kernel_initializer=glorot_uniform:bias_initializer=zeros").input(4).params(4 * 3 + 3).seeded(),
            of("conv:2:3").input(2, 5, 5).params(2 * 2 * 3 * 3 + 2).seeded(),
            of("conv:2:3:relu:same").input(1, 4, 4).params(1 * 2 * 3 * 3 + 2).seeded().gradientCheck(1e-3, 2e-2),
            of("conv:3:kernel_size=[3,2]:strides=[2,1]:padding=1:activation=gelu").input(2, 5, 4).params(2 * 3 * 3 * 2 + 3).seeded(),
            of("conv:2:3:dilation_rate=2:padding=same:use_bias=false").input(1, 5, 5).params(1 * 2 * 3 * 3).seeded(),
            of("conv:2:3:strides=2:padding=same").input(1, 5, 5).params(1 * 2 * 3 * 3 + 2).seeded(),
            of("batchnorm").input(4).params(2 * 4).modeDependent(),
            of("batchnorm:momentum=0.3:epsilon=0.001").input(2, 3, 3).params(2 * 2).modeDependent(),
            of("layernorm").input(5).params(2 * 5),
            of("layernorm:epsilon=0.001").input(2, 4).params(2 * 4).masked(),
            of("embedding:5:3").input(4).ids(5).params(5 * 3).seeded(),
            // recurrent layers (also checked against PyTorch in GoldenRecurrentTest); params G*H*(F+H) + 2*G*H per pass
            of("lstm:3").input(4, 2).params(12 * (2 + 3) + 2 * 12).seeded().masked(),
            of("lstm:2:bi:true").input(3, 2).params(2 * (8 * (2 + 2) + 2 * 8)).seeded().masked(),
            of("lstm:2:reverse:num_layers=2").input(3, 2).params(2 * (8 * (2 + 2) + 2 * 8)).seeded().masked(),
            of("lstm:2").input(3, 2).input(2).input(2).params(8 * (2 + 2) + 2 * 8).seeded().masked(),
            of("gru:3").input(4, 2).params(9 * (2 + 3) + 2 * 9).seeded().masked(),
            of("gru:2:bi:true").input(3, 2).params(2 * (6 * (2 + 2) + 2 * 6)).seeded().masked(),
            of("gru:2:num_layers=2").input(3, 2).input(2, 2).params(2 * (6 * (2 + 2) + 2 * 6)).seeded().masked(),
            of("simplernn:3").input(4, 2).params(3 * (2 + 3) + 2 * 3).seeded().masked(),
            of("simplernn:3:relu:true").input(4, 3).params(3 * (3 + 3) + 2 * 3).seeded().gradientCheck(1e-3, 2e-2).masked(),
            of("simplernn:2:bi:num_layers=2").input(3, 2).input(4, 2)
                    .params(2 * (2 * (2 + 2) + 2 * 2) + 2 * (2 * (4 + 2) + 2 * 2)).seeded().masked(),
            of("embedding:6:2:padding_index=0").input(5).ids(6).params(6 * 2).seeded(),
            // no weights
            of("maxpool:2").input(2, 4, 4).spaced().params(0),
            of("maxpool:3:strides=2:padding=1").input(1, 5, 5).spaced().params(0),
            of("avgpool:2").input(2, 4, 4).params(0),
            of("avgpool:3:strides=1:padding=same").input(1, 4, 4).params(0),
            of("globalavgpool").input(2, 3, 3).params(0),
            of("globalavgpool").input(3, 4).params(0),
            of("flatten").input(2, 3, 2).params(0),
            of("globalavgpool1d").input(4, 3).params(0).masked(),
            of("globalmaxpool1d").input(4, 3).spaced().params(0).masked(),
            of("masking:mask_value=0.25").input(3, 2).params(0).masked(),
            of("dropout:0.5").input(6).params(0).seeded().modeDependent(),
            of("add").input(3, 2).input(3, 2).params(0),
            of("add").input(4).input(4).input(4).params(0),
            of("multiply").input(2, 3).input(2, 3).params(0),
            of("concat").input(2, 2, 2).input(1, 2, 2).params(0),
            of("concat:axis=-1").input(2, 3).input(2, 1).params(0),
            // activations on their own
            of("identity").input(5).params(0),
            of("relu").input(5).params(0),
            of("leaky_relu").input(5).params(0),
            of("elu").input(5).params(0),
            of("sigmoid").input(5).params(0),
            of("tanh").input(5).params(0),
            of("gelu").input(5).params(0),
            of("softmax").input(5).params(0),
            of("silu").input(5).params(0),
            of("softplus").input(5).params(0),
            of("mish").input(5).params(0),
            of("prelu").input(3, 2, 2).params(3),
            of("prelu:shared=true:alpha_initializer=0.1").input(4).params(1),
            of("globalmaxpool").input(2, 3, 3).spaced().params(0),
            of("globalmaxpool").input(3, 4).spaced().params(0),
            of("conv1d:2:3").input(2, 7).params(2 * 2 * 3 + 2).seeded(),
            of("conv1d:3:2:data_format=channels_last:padding=same").input(5, 2).params(3 * 2 * 2 + 3).seeded(),
            of("conv1d:4:2:padding=same:strides=2:groups=2:use_bias=false").input(2, 6).params(4 * 1 * 2).seeded(),
            of("conv:4:3:groups=2:padding=same").input(2, 5, 5).params(4 * 1 * 3 * 3 + 4).seeded(),
            of("conv:3:3:groups=3:use_bias=false").input(3, 4, 4).params(3 * 1 * 3 * 3).seeded(),
            of("conv:2:2:padding=same").input(1, 4, 4).params(1 * 2 * 2 * 2 + 2).seeded(),
            of("conv:2:3:strides=2:padding=same").input(1, 6, 6).params(1 * 2 * 3 * 3 + 2).seeded(),
            of("conv:2:3:padding=[0,1,1,2]").input(1, 4, 4).params(1 * 2 * 3 * 3 + 2).seeded(),
            of("normalization").input(3).params(0),
            of("normalization:axis=0").input(2, 3).params(0),
            of("rescaling:0.5:offset=-1").input(2, 3).params(0),
            // attention and transformers (also checked against PyTorch in GoldenAttentionTest)
            of("multiheadattention:2").input(3, 4).params(3 * (4 * 4 + 4) + 4 * 4 + 4).seeded().masked(),
            of("mha:2:causal=true").input(3, 4).params(3 * (4 * 4 + 4) + 4 * 4 + 4).seeded().masked(),
            of("mha:2:dropout=0.3").input(3, 4).params(3 * (4 * 4 + 4) + 4 * 4 + 4).seeded().modeDependent().masked(),
            of("mha:2:key_dim=3:use_bias=false").input(3, 4).input(5, 6).params(4 * 6 + 6 * 6 + 6 * 6 + 6 * 4).seeded().masked(0, 1),
            of("mha:1").input(2, 3).input(4, 2).input(4, 5).params(3 * 3 + 2 * 3 + 5 * 3 + 3 * 3 + 4 * 3).seeded().masked(0, 1, 2),
            of("transformerencoder:2:6:gelu").input(3, 4).params(80 + (4 * 6 + 6) + (6 * 4 + 4) + 2 * 2 * 4).seeded().masked(),
            of("transformer:2:6:relu:norm_first=true").input(3, 4).params(80 + (4 * 6 + 6) + (6 * 4 + 4) + 2 * 2 * 4)
                    .seeded().gradientCheck(1e-3, 2e-2).masked(),
            of("transformer:2:5:gelu:dropout=0.2:epsilon=0.001").input(3, 4).params(80 + (4 * 5 + 5) + (5 * 4 + 4) + 2 * 2 * 4)
                    .seeded().modeDependent().masked(),
            of("position_embedding:5").input(3, 4).params(5 * 4).seeded().masked(),
            of("position_embedding:3:initializer=glorot_uniform").input(3, 2).params(3 * 2).seeded(),
            of("sinusoidal_position").input(3, 4).params(0).masked(),
            of("sinusoidal_position:100").input(2, 5).params(0).masked()
    );
}
