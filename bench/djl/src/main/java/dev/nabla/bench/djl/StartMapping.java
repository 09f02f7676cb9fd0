package dev.nabla.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * A start file keyed by Nabla's paths, copied through the table the network was built with: each start tensor
     * (but {@code order}) goes to the DJL parameter its name was given to, dense weights transposed; every table entry
     * and every trainable parameter of the block must be matched once (batch norms' running averages are not in the
     * file: they start at 0 and 1 on every side).
     */
    static StartMapping byNames(StartNames names) {
        return (start, parameters) -> {
            Map<String, Parameter> table = names.byName();
            Set<String> used = new HashSet<>();
            for (Map.Entry<String, StartFile.Tensor> e : start.tensors().entrySet()) {
                String name = e.getKey();
                if (name.equals("order")) continue;
                Parameter p = table.get(name);
                if (p == null) throw new IOException(start.path() + ": parameter " + name + " has no DJL counterpart in the table");
                StartFile.Tensor t = names.transposed(name) ? StartFile.transposed(e.getValue()) : e.getValue();
                set(new Pair<>(p.getName(), p), t, name);
                used.add(name);
            }
            List<String> missing = new ArrayList<>();
            for (String name : table.keySet()) if (!used.contains(name)) missing.add(name);
            if (!missing.isEmpty()) throw new IOException(start.path() + " has nothing for " + missing);
            Set<Parameter> covered = Collections.newSetFromMap(new IdentityHashMap<>());
            covered.addAll(table.values());
            for (Pair<String, Parameter> p : parameters) {
                if (p.getValue().requiresGradient() && !covered.contains(p.getValue())) {
                    throw new IllegalStateException("DJL parameter " + p.getKey() + " has no name in the start table");
                }
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
