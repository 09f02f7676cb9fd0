package dev.nabla.bench.djl;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The start file's names (paths in Nabla's graph, such as {@code block1_conv1.weight} or
 * {@code block1.attention.query_weight}) of a DJL network's parameters, written down while the network is built, so
 * that the start is copied by name and nothing depends on the order DJL lists parameters in.
 */
final class StartNames {

    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    private final Set<String> transposed = new HashSet<>();

    /** A dense layer: its weight ([in, out] in Nabla, [out, in] in DJL: transposed) and its bias. */
    StartNames dense(String path, Block linear) {
        return dense(path + ".weight", path + ".bias", linear);
    }

    /** A dense layer whose two parameters Nabla names otherwise (the attention's {@code query_weight}, ...). */
    StartNames dense(String weightName, String biasName, Block linear) {
        add(weightName, linear, "weight");
        transposed.add(weightName);
        return add(biasName, linear, "bias");
    }

    /** A convolution without bias: its weight, [out, in, kh, kw] on both sides. */
    StartNames convolution(String path, Block conv) {
        return add(path + ".weight", conv, "weight");
    }

    /** A batch or layer norm: gamma and beta (the running averages start alike on both sides and are not in the file). */
    StartNames norm(String path, Block norm) {
        add(path + ".gamma", norm, "gamma");
        return add(path + ".beta", norm, "beta");
    }

    /** One parameter in the same layout on both sides. */
    StartNames parameter(String name, Parameter parameter) {
        if (byName.put(name, parameter) != null) throw new IllegalStateException("two parameters named " + name);
        return this;
    }

    private StartNames add(String name, Block block, String djlName) {
        Parameter p = block.getParameters().get(djlName);
        if (p == null) throw new IllegalStateException(block + " has no parameter " + djlName);
        return parameter(name, p);
    }

    Map<String, Parameter> byName() {
        return byName;
    }

    boolean transposed(String name) {
        return transposed.contains(name);
    }
}
