package dev.nabla.io;

import dev.nabla.nn.Module;

import java.util.List;

/**
 * How one kind of (built) Nabla layer's weights appear in a PyTorch {@code state_dict}: the tensors of the
 * corresponding {@code torch.nn} module, named relative to its prefix, with the layout changes between the two. Made
 * known to {@link TorchWeights} with {@link TorchLayouts#register}.
 */
@FunctionalInterface
public interface TorchLayout {

    /** The PyTorch tensors that together fill every parameter and buffer of {@code layer}, in PyTorch's order. */
    List<TorchTensor> tensors(Module layer);
}
