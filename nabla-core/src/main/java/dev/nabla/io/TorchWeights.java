package dev.nabla.io;

import dev.nabla.nn.Layer;
import dev.nabla.nn.Module;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a PyTorch {@code state_dict} saved as safetensors (F32, F16 or BF16; halves widen to float32 exactly) into a
 * built Nabla network of the same architecture (see {@code docs/torch-import.md}).
 *
 * <pre>{@code
 * Sequential net = new Sequential(new Dense(64, Activation.RELU), new Dense(10)).build(784);
 * TorchImportReport r = TorchWeights.load(net, Path.of("mlp.safetensors"));
 * }</pre>
 *
 * <p>Mapping: the network's layers that hold weights are taken in order, each with its {@link TorchLayout} (the
 * PyTorch names of its tensors relative to its module, e.g. {@code weight, bias} for a dense layer). The first key
 * of the file not yet read fixes the next layer's module prefix ({@code "3.weight"} gives {@code "3."}); the layer
 * then reads every one of its names under that prefix. {@link Options#prefixes} names the prefix of a layer
 * explicitly instead, for models whose module order differs. {@code num_batches_tracked} is ignored.
 *
 * <p>Strict by default, like {@code load_state_dict(strict=True)}: a missing key, an unexpected key, a shape mismatch,
 * a dtype other than F32/F16/BF16 or a non-finite value is a {@link ModelFormatException} naming the file, the
 * PyTorch key and the Nabla layer, and the network is left unchanged. Without strictness, missing and unexpected
 * keys are reported instead (shape mismatches stay errors).
 */
public final class TorchWeights {

    /** Names {@link TorchWeights} skips: PyTorch's count of training batches, which inference never reads. */
    private static final String IGNORED = "num_batches_tracked";

    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    private static final long MAX_MAPPING_BYTES = 1 << 20;

    /**
     * How to import.
     *
     * @param strict   refuse missing and unexpected keys (PyTorch's {@code strict=True})
     * @param prefixes Nabla layer path ({@code "0"}, {@code "encoder"}) to PyTorch module prefix ({@code "features.0"});
     *                 layers not named here are matched in order against the keys no named layer reads
     */
    public record Options(boolean strict, Map<String, String> prefixes) {
        public Options {
            prefixes = Map.copyOf(prefixes);
        }

        /** Strict, mapping by module order. */
        public static Options defaults() {
            return new Options(true, Map.of());
        }

        /** These options with {@code strict} set. */
        public Options strict(boolean on) {
            return new Options(on, prefixes);
        }

        /** These options with explicit module prefixes. */
        public Options prefixes(Map<String, String> layerToPrefix) {
            return new Options(strict, layerToPrefix);
        }
    }

    private TorchWeights() {
    }

    /** Strict import into a model's network. */
    public static TorchImportReport load(Model model, Path file) throws IOException {
        return load(model.network(), file, Options.defaults());
    }

    /** Strict import, mapping by module order. */
    public static TorchImportReport load(Module network, Path file) throws IOException {
        return load(network, file, Options.defaults());
    }

    /** Import with these options. */
    public static TorchImportReport load(Module network, Path file, Options options) throws IOException {
        List<Unit> units = units(network);
        long size = Files.size(file);
        long bound = MAX_FILE_BYTES;
        if (options.strict()) {
            // the layers' float32 data (halves take less), a num_batches_tracked per layer, the largest header
            long data = 0;
            for (Unit u : units) for (TorchTensor t : u.tensors) data += 4L * Shape.size(t.shape()) + 8;
            bound = Math.min(bound, 8 + SafeTensors.MAX_HEADER_BYTES + data);
        }
        if (size > bound) {
            throw new ModelFormatException(file + ": the file is " + size + " bytes, more than the " + bound
                    + (options.strict() ? " the network's weights can take" : " one safetensors buffer can hold here"));
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (heap != Long.MAX_VALUE && 3 * size > heap) {
            throw new ModelFormatException(file + ": reading its " + size + " bytes needs about " + 3 * size
                    + " bytes of heap, more than this JVM's " + heap + " (raise it with -Xmx)");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) size);
            if (bytes.length != size || in.read() != -1) throw new ModelFormatException(file + ": the file changed while it was read");
        }
        SafeTensors.Result r = SafeTensors.readFloats(bytes, file.toString());
        return apply(network, units, r, file.toString(), options);
    }

    /** Import from tensors already decoded ({@code dtypes}: each key's safetensors dtype), named {@code source} in messages. */
    public static TorchImportReport load(Module network, SafeTensors.Result stateDict, String source, Options options)
            throws ModelFormatException {
        return apply(network, units(network), stateDict, source, options);
    }

    /**
     * Reads an explicit mapping for {@link Options#prefixes}: a JSON object from Nabla layer path to PyTorch module
     * prefix, e.g. {@code {"0": "features.0", "3": "classifier"}}.
     */
    public static Map<String, String> readPrefixes(Path file) throws IOException {
        if (Files.size(file) > MAX_MAPPING_BYTES) {
            throw new ModelFormatException(file + ": a mapping file is at most " + MAX_MAPPING_BYTES + " bytes");
        }
        try {
            Map<String, Object> json = Json.asObject(Json.parse(Files.readString(file, StandardCharsets.UTF_8), 1), "mapping");
            Map<String, String> out = new LinkedHashMap<>();
            for (var e : json.entrySet()) out.put(e.getKey(), Json.asString(e.getValue(), "layer '" + e.getKey() + "'"));
            return out;
        } catch (JsonException | java.nio.charset.MalformedInputException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    /** A layer that holds weights: its path, description and PyTorch tensors. */
    private record Unit(String path, String description, List<TorchTensor> tensors) {
        String name() {
            return path.isEmpty() ? description : "layer '" + path + "' " + description;
        }
    }

    private static List<Unit> units(Module network) {
        List<Unit> out = new ArrayList<>();
        collect(network, "", out, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        if (out.isEmpty()) throw new IllegalArgumentException(network.describe() + ": the network has no weights to import");
        return out;
    }

    private static void collect(Module m, String path, List<Unit> out, Set<Module> seen) {
        if (!seen.add(m)) return; // a shared module is read once, at its first path
        String name = path.isEmpty() ? m.describe() : "layer '" + path + "' " + m.describe();
        TorchLayout layout = TorchLayouts.of(m);
        if (layout != null) {
            if (m instanceof Layer l && !l.isBuilt()) {
                throw new IllegalStateException(name + " is not built yet: build the network for its input shape first "
                        + "(Sequential.build(shape), Graph.build()) so that its weights exist");
            }
            out.add(new Unit(path, m.describe(), layout.tensors(m)));
            return;
        }
        for (String own : ownTensors(m)) {
            throw new IllegalArgumentException(name + " has weights ('" + own + "') but no PyTorch layout; register one with "
                    + "TorchLayouts.register");
        }
        for (var e : m.children().entrySet()) collect(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out, seen);
    }

    private static List<String> ownTensors(Module m) {
        List<String> own = new ArrayList<>();
        for (String k : m.namedParameters().keySet()) if (!k.contains(".")) own.add(k);
        for (String k : m.namedBuffers().keySet()) if (!k.contains(".")) own.add(k);
        return own;
    }

    private static TorchImportReport apply(Module network, List<Unit> units, SafeTensors.Result file, String source, Options options)
            throws ModelFormatException {
        Map<String, String> dtypes = file.dtypes();
        List<String> keys = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String k : dtypes.keySet()) {
            if (k.equals(IGNORED) || k.endsWith("." + IGNORED)) ignored.add(k);
            else keys.add(k);
        }
        // safetensors keeps no module order (the reference writer sorts keys by dtype and name): numbers order it
        keys.sort(KEY_ORDER);
        Map<String, Unit> byPath = new LinkedHashMap<>();
        for (Unit u : units) byPath.put(u.path, u);
        for (String p : options.prefixes().keySet()) {
            if (!byPath.containsKey(p)) {
                throw new ModelFormatException(source + ": the mapping names layer '" + p + "', but the network's layers "
                        + "with weights are " + byPath.keySet());
            }
        }

        Set<String> claimed = new HashSet<>();
        for (Unit u : units) {
            String p = options.prefixes().get(u.path);
            if (p == null) continue;
            for (TorchTensor t : u.tensors) claimed.add(prefix(p) + t.name());
        }
        List<String> missing = new ArrayList<>();
        List<TorchImportReport.LayerImport> done = new ArrayList<>();
        List<Runnable> writes = new ArrayList<>();
        for (Unit u : units) {
            String prefix = options.prefixes().containsKey(u.path) ? prefix(options.prefixes().get(u.path))
                    : bestPrefix(u, keys, claimed, file);
            if (prefix == null) {
                if (options.strict()) {
                    throw new ModelFormatException(source + ": no module of the file fits " + u.name() + ", which reads "
                            + names(u) + " under one module prefix" + (unread(keys, claimed).isEmpty()
                            ? "; every key is taken by an earlier layer" : "; keys not read yet: " + list(unread(keys, claimed))));
                }
                for (TorchTensor t : u.tensors) missing.add(t.name() + " (" + u.name() + ")");
                continue;
            }
            List<String> read = new ArrayList<>();
            for (TorchTensor t : u.tensors) {
                String key = prefix + t.name();
                if (!dtypes.containsKey(key)) {
                    if (options.strict()) throw missingKey(source, u, key);
                    missing.add(key);
                    continue;
                }
                claimed.add(key);
                read.add(key);
                writes.add(checked(source, u, t, key, file));
            }
            done.add(new TorchImportReport.LayerImport(u.path, u.description, prefix, read));
        }
        List<String> unexpected = unread(keys, claimed);
        if (options.strict() && !unexpected.isEmpty()) {
            throw new ModelFormatException(source + ": unexpected key" + (unexpected.size() > 1 ? "s " : " ")
                    + list(unexpected) + ": no layer of the network reads " + (unexpected.size() > 1 ? "them" : "it")
                    + " (a non-strict import ignores them)");
        }
        // every check passed: only now does the network change, and back if the values are unusable (a negative
        // running variance), which only the layer can tell
        Map<Tensor, float[]> before = new java.util.IdentityHashMap<>();
        for (Tensor t : network.namedParameters().values()) before.put(t, t.toArray());
        for (Tensor t : network.namedBuffers().values()) before.put(t, t.toArray());
        for (Runnable w : writes) w.run();
        dev.nabla.kernel.ParameterArrays.modified();
        String problem = network.loadedBuffersProblem();
        if (problem != null) {
            for (var e : before.entrySet()) System.arraycopy(e.getValue(), 0, e.getKey().data(), e.getKey().offset(), e.getValue().length);
            dev.nabla.kernel.ParameterArrays.modified();
            throw new ModelFormatException(source + ": " + problem);
        }
        return new TorchImportReport(source, done, missing, unexpected, ignored, dtypes);
    }

    /** The write of one checked tensor: its dtype is decoded, its shape the layer's, its values finite. */
    private static Runnable checked(String source, Unit u, TorchTensor t, String key, SafeTensors.Result file)
            throws ModelFormatException {
        Tensor v = file.tensors().get(key);
        if (v == null) {
            throw new ModelFormatException(source + ": key '" + key + "' (for " + u.name() + ") has dtype "
                    + file.dtypes().get(key) + "; weights are imported from " + new java.util.TreeSet<>(SafeTensors.DECODED));
        }
        if (!Arrays.equals(v.shape(), t.shape())) {
            throw new ModelFormatException(source + ": shape mismatch for key '" + key + "': the file has "
                    + Shape.str(v.shape()) + " but " + u.name() + " needs " + Shape.str(t.shape()) + " (for its "
                    + t.target() + ")");
        }
        float[] values = v.contiguous().toArray();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new ModelFormatException(source + ": key '" + key + "' holds " + values[i] + " at element "
                        + i + "; " + u.name() + " needs finite weights");
            }
        }
        return () -> t.assign().accept(values);
    }

    /**
     * The module prefix the layer reads from: among the prefixes under which an unread key is one of the layer's names
     * (in key order), the first that has all its names with their shapes, else the first that has all its names (a
     * shape error follows), else the first with the most of them (a missing-key error follows); null if none.
     */
    private static String bestPrefix(Unit u, List<String> keys, Set<String> claimed, SafeTensors.Result file) {
        String best = null;
        int bestScore = 0;
        Set<String> tried = new HashSet<>();
        for (String key : keys) {
            if (claimed.contains(key)) continue;
            for (TorchTensor t : u.tensors) {
                String p = key.equals(t.name()) ? "" : key.endsWith("." + t.name())
                        ? key.substring(0, key.length() - t.name().length()) : null;
                if (p == null || !tried.add(p)) continue;
                int present = 0;
                boolean shapes = true;
                for (TorchTensor n : u.tensors) {
                    String k = p + n.name();
                    if (!file.dtypes().containsKey(k) || claimed.contains(k)) continue;
                    present++;
                    Tensor v = file.tensors().get(k);
                    shapes &= v != null && Arrays.equals(v.shape(), n.shape());
                }
                boolean all = present == u.tensors.size();
                int score = all ? (shapes ? 3 * u.tensors.size() : 2 * u.tensors.size()) : present;
                if (score > bestScore) {
                    best = p;
                    bestScore = score;
                }
            }
        }
        return best;
    }

    private static List<String> unread(List<String> keys, Set<String> claimed) {
        List<String> out = new ArrayList<>();
        for (String k : keys) if (!claimed.contains(k)) out.add(k);
        return out;
    }

    /** Keys in module order as far as names tell: path parts compared as numbers where both are ({@code 2.} before {@code 10.}). */
    static final Comparator<String> KEY_ORDER = (a, b) -> {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = part(x[i], y[i]);
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    };

    private static int part(String a, String b) {
        boolean na = !a.isEmpty() && a.chars().allMatch(Character::isDigit);
        boolean nb = !b.isEmpty() && b.chars().allMatch(Character::isDigit);
        if (na && nb) {
            String sa = a.replaceFirst("^0+(?=.)", "");
            String sb = b.replaceFirst("^0+(?=.)", "");
            return sa.length() != sb.length() ? Integer.compare(sa.length(), sb.length()) : sa.compareTo(sb);
        }
        if (na != nb) return na ? -1 : 1;
        return a.compareTo(b);
    }

    private static String prefix(String p) {
        return p.isEmpty() || p.endsWith(".") ? p : p + ".";
    }

    private static ModelFormatException missingKey(String source, Unit u, String key) {
        return new ModelFormatException(source + ": missing key '" + key + "' for " + u.name() + "; it reads " + names(u) + " (a non-strict import keeps the layer's weights)");
    }

    private static String names(Unit u) {
        List<String> n = new ArrayList<>();
        for (TorchTensor t : u.tensors) n.add(t.name() + " " + Shape.str(t.shape()));
        return String.join(", ", n);
    }

    private static String list(List<String> keys) {
        List<String> q = new ArrayList<>();
        for (int i = 0; i < Math.min(keys.size(), 10); i++) q.add("'" + keys.get(i) + "'");
        return String.join(", ", q) + (keys.size() > 10 ? " and " + (keys.size() - 10) + " more" : "");
    }
}
