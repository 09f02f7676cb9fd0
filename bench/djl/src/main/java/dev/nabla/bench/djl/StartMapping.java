package dev.nabla.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** How a start file's tensors become a DJL block's parameter values. */
@FunctionalInterface
interface StartMapping {

    /** Sets every parameter of {@code parameters} from {@code start}; each start tensor must be used once. */
    void copy(StartFile start, ParameterList parameters) throws IOException;

    /**
     * Nabla's sequential networks: {@code p0, p1, ...} in {@code parameters()} order, which is DJL's order too; a 2-D
     * tensor is a dense weight, [in, out] in Nabla and [out, in] in DJL, so it is transposed.
     */
    static StartMapping inOrder() {
        return (start, parameters) -> {
            List<String> given = new ArrayList<>();
            for (String name : start.tensors().keySet()) if (name.startsWith("p")) given.add(name);
            if (given.size() != parameters.size()) {
                throw new IOException(start.path() + " has " + given.size() + " parameters, the DJL block "
                        + parameters.size());
            }
            for (int i = 0; i < parameters.size(); i++) {
                StartFile.Tensor t = start.get("p" + i);
                if (t.rank() == 2) t = StartFile.transposed(t);
                set(parameters.get(i), t, "p" + i);
            }
        };
    }

    /**
     * A start file keyed by name: {@code names} are the start tensors for the block's parameters in their order,
     * those in {@code transposed} are dense weights ([in, out] in Nabla); every tensor but {@code order} must be used.
     */
    static StartMapping byName(List<String> names, List<String> transposed) {
        return (start, parameters) -> {
            if (names.size() != parameters.size()) {
                throw new IllegalStateException(names.size() + " names for " + parameters.size() + " parameters");
            }
            for (String name : start.tensors().keySet()) {
                if (!name.equals("order") && !names.contains(name)) {
                    throw new IOException(start.path() + ": parameter " + name + " has no DJL counterpart in the table");
                }
            }
            for (int i = 0; i < names.size(); i++) {
                StartFile.Tensor t = start.get(names.get(i));
                if (transposed.contains(names.get(i))) t = StartFile.transposed(t);
                set(parameters.get(i), t, names.get(i));
            }
        };
    }

    /** Copies {@code t} into the parameter's array after checking the shapes agree. */
    static void set(Pair<String, Parameter> parameter, StartFile.Tensor t, String name) throws IOException {
        NDArray array = parameter.getValue().getArray();
        if (!Arrays.equals(array.getShape().getShape(), t.shape())) {
            throw new IOException("start parameter " + name + " has shape " + Arrays.toString(t.shape()) + ", DJL's "
                    + parameter.getKey() + " wants " + array.getShape());
        }
        array.set(FloatBuffer.wrap(t.values()));
    }
}
