package dev.nabla.io;

import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Conv1D;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Embedding;
import dev.nabla.nn.LayerNorm;
import dev.nabla.nn.Module;
import dev.nabla.nn.MultiHeadAttention;
import dev.nabla.nn.PReLU;
import dev.nabla.nn.Recurrent;
import dev.nabla.nn.TransformerEncoder;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link TorchLayout} of each Nabla layer class that has a {@code torch.nn} counterpart (see
 * {@code docs/torch-import.md}). A layer class of one's own is one {@link #register} call; a class without a layout of
 * its own takes its nearest superclass's.
 */
public final class TorchLayouts {

    private static final Map<Class<?>, TorchLayout> LAYOUTS = new ConcurrentHashMap<>();

    static {
        // nn.Linear: weight [out, in] is the transpose of the dense kernel [in, out]
        register(Dense.class, m -> {
            List<TorchTensor> out = new ArrayList<>();
            out.add(TorchTensor.transposed("weight", own(m, "weight"), "weight"));
            if (has(m, "bias")) out.add(TorchTensor.same("bias", own(m, "bias"), "bias"));
            return out;
        });
        // nn.Conv1d / nn.Conv2d: the same [out, in/groups, (kh,) kw] layout
        TorchLayout conv = m -> sameNames(m);
        register(Conv2D.class, conv);
        register(Conv1D.class, conv);
        // nn.LSTM / nn.GRU / nn.RNN: Nabla's recurrent layers already use PyTorch's names and gate layout
        register(Recurrent.class, TorchLayouts::sameNames);
        register(BatchNorm.class, m -> List.of(
                TorchTensor.same("weight", own(m, "gamma"), "gamma"), TorchTensor.same("bias", own(m, "beta"), "beta"),
                TorchTensor.same("running_mean", m.namedBuffers().get("running_mean"), "running_mean"),
                TorchTensor.same("running_var", m.namedBuffers().get("running_var"), "running_var")));
        register(LayerNorm.class, m -> List.of(
                TorchTensor.same("weight", own(m, "gamma"), "gamma"), TorchTensor.same("bias", own(m, "beta"), "beta")));
        register(Embedding.class, m -> List.of(TorchTensor.same("weight", own(m, "table"), "table")));
        register(PReLU.class, m -> List.of(TorchTensor.same("weight", own(m, "alpha"), "alpha")));
        register(MultiHeadAttention.class, TorchLayouts::attention);
        // nn.TransformerEncoderLayer: self_attn, linear1, linear2, norm1, norm2
        register(TransformerEncoder.class, m -> {
            List<TorchTensor> out = new ArrayList<>();
            for (String[] pair : new String[][]{{"attention", "self_attn."}, {"dense1", "linear1."}, {"dense2", "linear2."},
                    {"norm1", "norm1."}, {"norm2", "norm2."}}) {
                Module child = m.children().get(pair[0]);
                for (TorchTensor t : of(child).tensors(child)) out.add(t.under(pair[1], pair[0] + "."));
            }
            return out;
        });
    }

    private TorchLayouts() {
    }

    /** Makes {@code layout} the way layers of {@code type} (and its subclasses without their own) are imported. */
    public static void register(Class<? extends Module> type, TorchLayout layout) {
        LAYOUTS.put(type, layout);
    }

    /** The layout of this module's class or its nearest registered superclass, or null when there is none. */
    public static TorchLayout of(Module module) {
        for (Class<?> c = module.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            TorchLayout l = LAYOUTS.get(c);
            if (l != null) return l;
        }
        return null;
    }

    // nn.MultiheadAttention: one in_proj_weight [3E, E] when the key and value have the query's size (q/k/v_proj_weight
    // otherwise), in_proj_bias [3E], out_proj.weight [E, E] (Linear: transposed) and out_proj.bias
    private static List<TorchTensor> attention(Module m) {
        Tensor q = own(m, "query_weight");
        Tensor k = own(m, "key_weight");
        Tensor v = own(m, "value_weight");
        List<TorchTensor> out = new ArrayList<>();
        if (q.shape()[0] == k.shape()[0] && q.shape()[0] == v.shape()[0]) {
            out.add(TorchTensor.stackedTransposed("in_proj_weight", List.of(q, k, v), "query_weight, key_weight, value_weight"));
        } else {
            out.add(TorchTensor.transposed("q_proj_weight", q, "query_weight"));
            out.add(TorchTensor.transposed("k_proj_weight", k, "key_weight"));
            out.add(TorchTensor.transposed("v_proj_weight", v, "value_weight"));
        }
        if (has(m, "query_bias")) {
            out.add(TorchTensor.concatenated("in_proj_bias", List.of(own(m, "query_bias"), own(m, "key_bias"),
                    own(m, "value_bias")), "query_bias, key_bias, value_bias"));
        }
        out.add(TorchTensor.transposed("out_proj.weight", own(m, "output_weight"), "output_weight"));
        if (has(m, "output_bias")) out.add(TorchTensor.same("out_proj.bias", own(m, "output_bias"), "output_bias"));
        return out;
    }

    private static List<TorchTensor> sameNames(Module m) {
        List<TorchTensor> out = new ArrayList<>();
        for (var e : m.namedParameters().entrySet()) out.add(TorchTensor.same(e.getKey(), e.getValue(), e.getKey()));
        return out;
    }

    private static boolean has(Module m, String name) {
        return m.namedParameters().containsKey(name);
    }

    private static Tensor own(Module m, String name) {
        Tensor t = m.namedParameters().get(name);
        if (t == null) throw new IllegalStateException(m.describe() + " has no parameter '" + name + "'");
        return t;
    }
}
