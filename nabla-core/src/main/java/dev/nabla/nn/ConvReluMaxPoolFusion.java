package dev.nabla.nn;

import dev.nabla.kernel.ConvReluPoolKernels;
import dev.nabla.ops.Conv2dReluMaxPool;
import dev.nabla.tensor.Tensor;

import java.util.List;

/**
 * A ReLU {@link Conv2D} followed by an unpadded {@link MaxPool2D} as one native op ({@link Conv2dReluMaxPool}): the
 * convolution's output, the largest tensor of a small CNN, never becomes a Java array.
 */
final class ConvReluMaxPoolFusion implements Fusion {

    @Override
    public String name() {
        return "conv2d+relu+maxpool2d";
    }

    @Override
    public boolean supports(Module first, Module second) {
        return first instanceof Conv2D conv && second instanceof MaxPool2D pool && conv.isBuilt() && pool.isBuilt()
                && conv.fusableWithPooling() && pool.unpadded() && ConvReluPoolKernels.available();
    }

    @Override
    public Tensor apply(Module first, Module second, Tensor x) {
        Conv2D conv = (Conv2D) first;
        MaxPool2D pool = (MaxPool2D) second;
        conv.checkInputs(List.of(x.shape()));
        // the native block declines some calls (training batches larger than its buffers) by returning null: two ops
        // then. Asking Conv2dReluMaxPool.supports(...) first on every call would say the same but cost about a fifth
        // of the cnn benchmark's step (measured: 8.8k against 11.5k samples/s)
        Tensor pooled = Conv2dReluMaxPool.apply(x, conv.weight(), conv.bias(), conv.spec(), pool.kernel(), pool.stride());
        return pooled != null ? pooled : pool.forward(conv.forward(x));
    }
}
