package dev.nabla.onnx;

import dev.nabla.nn.Layer;
import dev.nabla.tensor.Tensor;

/** A layer's parameter or buffer by its name in the layer ({@code weight}, {@code running_mean}), or null. */
final class Weights {

    private Weights() {
    }

    static Tensor of(Layer layer, String name) {
        Tensor t = layer.namedParameters().get(name);
        return t != null ? t : layer.namedBuffers().get(name);
    }
}
