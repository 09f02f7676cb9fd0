package dev.nabla.io;

import dev.nabla.loss.Loss;
import dev.nabla.metrics.Metric;
import dev.nabla.nn.Architecture;
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import dev.nabla.tensor.AllocationBudget;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import dev.nabla.text.Tokenizer;
import dev.nabla.train.Model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Saves and loads a whole {@link Model} as one file: architecture, weights, optimizer state, loss and metrics,
 * training history and metadata (class names, feature scaling). The file is a {@link ModelArchive} holding
 * {@code model.json}, {@code weights.safetensors} (parameters and buffers, readable by any safetensors tool),
 * {@code optimizer.safetensors} and, for a text model, {@code tokenizer.json} (see {@link Tokenizer#toJson}).
 * Nothing in it is code: loading only parses JSON and numbers.
 *
 * <pre>{@code
 * ModelFile.save(model, Path.of("model.nabla"));
 * Model again = ModelFile.load(Path.of("model.nabla"));   // predicts bit for bit the same, resumes training
 * }</pre>
 */
public final class ModelFile {

    static final String MODEL_JSON = "model.json";
    static final String WEIGHTS = "weights.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String TOKENIZER = "tokenizer.json";

    // the entries a model has, in the order they are written; any other is refused before it is inflated
    private static final Set<String> ENTRIES =
            java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(MODEL_JSON, WEIGHTS, OPTIMIZER, TOKENIZER)));

    /** Largest {@code model.json} read: architecture, settings, history and metadata are kilobytes to a few megabytes. */
    static final long MAX_MODEL_JSON_BYTES = 16L << 20;

    /** Largest {@code tokenizer.json} read: room for the largest vocabulary a tokenizer may have (a million tokens). */
    static final long MAX_TOKENIZER_BYTES = 64L << 20;

    private ModelFile() {
    }

    /** Writes the model atomically (format version {@value ModelArchive#FORMAT_VERSION}): a crash midway leaves the previous file (if any) untouched. */
    public static void save(Model model, Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("nabla_version", "0.1.0");
        json.put("architecture", Architecture.toJson(model.network()));
        if (model.loss() != null) json.put("loss", CompileSettings.write(model.loss()));
        json.put("metrics", CompileSettings.write(model.metrics()));
        Optimizer optimizer = model.optimizer();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        if (optimizer != null) json.put("optimizer", CompileSettings.write(optimizer));
        json.put("epochs_done", model.epochsDone());
        List<Object> history = new ArrayList<>(model.history().epochs());
        json.put("history", history);
        json.put("metadata", model.metadata());
        if (model.targetScaling() != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("mean", model.targetScaling().mean());
            t.put("std", model.targetScaling().std());
            json.put("target_scaling", t);
        }
        if (!model.classNames().isEmpty()) json.put("class_names", new ArrayList<>(model.classNames()));

        entries.put(MODEL_JSON, Json.write(json, true).getBytes(StandardCharsets.UTF_8));
        Map<String, Tensor> weights = new LinkedHashMap<>(model.network().namedParameters());
        weights.putAll(model.network().namedBuffers());
        entries.put(WEIGHTS, SafeTensors.write(weights, Map.of("format", "nabla")));
        if (model.tokenizer() != null) {
            entries.put(TOKENIZER, Json.write(model.tokenizer().toJson(), false).getBytes(StandardCharsets.UTF_8));
        }
        if (optimizer != null) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (var e : optimizer.state().entrySet()) state.put(e.getKey(), Tensor.of(e.getValue()));
            entries.put(OPTIMIZER, SafeTensors.write(state, Map.of("steps", Long.toString(optimizer.steps()))));
        }
        ModelArchive.write(file, entries);
    }

    /**
     * Loads a model saved from a {@link dev.nabla.nn.Sequential} or {@link dev.nabla.nn.Graph} of registered layers,
     * ready to predict, evaluate or keep training. Files of format version 1 (release 0.1.0) load as they always did.
     *
     * <p>Only the entries a model has are read, each bounded before it is inflated: {@code model.json} and
     * {@code tokenizer.json} by a cap, the safetensors entries by what the network's and the optimizer's shapes need.
     */
    public static Model load(Path file) throws IOException {
        try (ArchiveEntries archive = open(file)) {
            Map<String, Object> json = modelJson(file, archive);
            try {
                Map<String, Object> arch = Json.asObject(json.get("architecture"), "architecture");
                // what the architecture builds may not exceed what the weights entry can hold (plus room for small
                // parameter-free tensors): sizes claimed by the file are checked before they are allocated
                long listed = archive.listedSize(WEIGHTS);
                LoadMemory.check(file, WEIGHTS, listed);
                Module network;
                try {
                    network = AllocationBudget.limit(listed / 4 + (1 << 20), () -> archive.formatVersion() == 1
                            ? V1Architecture.read(arch) : Architecture.fromJson(arch, "architecture"));
                } catch (IllegalStateException e) {
                    throw new ModelFormatException(file + ": invalid model description: " + e.getMessage(), e);
                }
                // a loaded model starts in inference mode, as PyTorch users call eval() after loading; fit switches it
                network.train(false);
                Model model = new Model(network);
                restore(file, model, json, archive);
                return model;
            } catch (ModelFormatException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ModelFormatException(file + ": invalid model description: " + e.getMessage(), e);
            }
        }
    }

    /** A NaN or infinite weight would make every prediction NaN: refused at load, naming the tensor and the element. */
    private static void checkFinite(Path file, String name, Tensor t) throws ModelFormatException {
        float[] d = t.data();
        for (int i = 0, o = t.offset(); i < t.size(); i++) {
            if (!Float.isFinite(d[o + i])) {
                throw new ModelFormatException(file + ": weight '" + name + "' holds " + d[o + i] + " at element " + i
                        + " (a model saved after training diverged, or a damaged file)");
            }
        }
    }

    /**
     * Loads weights, optimizer state and history into a model whose network was created in code (a custom
     * {@link Module}, or a Sequential built the same way), e.g. like PyTorch's {@code load_state_dict}.
     */
    public static void loadInto(Model model, Path file) throws IOException {
        try (ArchiveEntries archive = open(file)) {
            Map<String, Object> json = modelJson(file, archive);
            try {
                restore(file, model, json, archive);
            } catch (ModelFormatException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ModelFormatException(file + ": invalid model description: " + e.getMessage(), e);
            }
        }
    }

    /** Opens the archive and refuses, before inflating anything, an entry that no model has. */
    private static ArchiveEntries open(Path file) throws IOException {
        ArchiveEntries archive = ModelArchive.open(file);
        for (String name : archive.names()) {
            if (!ENTRIES.contains(name)) {
                archive.close();
                throw new ModelFormatException(file + " is corrupt: entry '" + name + "' is not part of a Nabla model"
                        + " (a model has " + String.join(", ", ENTRIES) + ")");
            }
        }
        if (!archive.contains(MODEL_JSON) || !archive.contains(WEIGHTS)) {
            archive.close();
            throw new ModelFormatException(file + ": is not a Nabla model file (no "
                    + (archive.contains(MODEL_JSON) ? WEIGHTS : MODEL_JSON) + ")");
        }
        return archive;
    }

    private static Map<String, Object> modelJson(Path file, ArchiveEntries archive) throws IOException {
        byte[] raw = archive.read(MODEL_JSON, MAX_MODEL_JSON_BYTES, "a model description may take");
        try {
            return Json.asObject(Json.parse(new String(raw, StandardCharsets.UTF_8)), "model.json");
        } catch (RuntimeException e) {
            throw new ModelFormatException(file + ": model.json is not valid: " + e.getMessage(), e);
        }
    }

    /** Reads a safetensors entry holding exactly {@code expected}'s names and shapes, refusing a larger one unread. */
    private static Map<String, Tensor> tensors(Path file, ArchiveEntries archive, String entry,
                                               Map<String, int[]> expected, String what) throws IOException {
        byte[] raw = archive.read(entry, SafeTensors.maxBytes(expected), what + " (" + expected.size() + " tensors) need");
        return SafeTensors.read(raw, file + ": " + entry).tensors();
    }

    private static void restore(Path file, Model model, Map<String, Object> json, ArchiveEntries archive)
            throws IOException {
        int version = archive.formatVersion();
        Module network = model.network();
        Map<String, Tensor> live = new LinkedHashMap<>(network.namedParameters());
        live.putAll(network.namedBuffers());
        Map<String, int[]> liveShapes = new LinkedHashMap<>();
        for (var e : live.entrySet()) liveShapes.put(e.getKey(), e.getValue().shape());
        Map<String, Tensor> saved = tensors(file, archive, WEIGHTS, liveShapes, "the network's weights and buffers");
        if (!live.keySet().equals(saved.keySet())) {
            throw new ModelFormatException(file + ": its weights " + saved.keySet() + " do not match the network's "
                    + live.keySet());
        }
        for (var e : live.entrySet()) {
            Tensor target = e.getValue();
            Tensor source = saved.get(e.getKey());
            if (!Arrays.equals(target.shape(), source.shape())) {
                throw new ModelFormatException(file + ": weight '" + e.getKey() + "' has shape " + Shape.str(source.shape())
                        + " but the network expects " + Shape.str(target.shape()));
            }
            checkFinite(file, e.getKey(), source);
            System.arraycopy(source.data(), source.offset(), target.data(), target.offset(), target.size());
        }
        dev.nabla.kernel.ParameterArrays.modified();
        String problem = network.loadedBuffersProblem();
        if (problem != null) throw new ModelFormatException(file + ": " + WEIGHTS + ": " + problem);

        Loss loss = json.get("loss") == null ? null : CompileSettings.readLoss(json.get("loss"), version);
        List<Metric> metrics = CompileSettings.readMetrics(json.getOrDefault("metrics", List.of()), version, loss);
        Optimizer optimizer = null;
        if (json.get("optimizer") != null) {
            optimizer = CompileSettings.readOptimizer(json.get("optimizer"), version, network.parameters());
            Map<String, float[]> state = new LinkedHashMap<>();
            if (archive.contains(OPTIMIZER)) {
                Map<String, int[]> stateShapes = new LinkedHashMap<>();
                for (var e : optimizer.state().entrySet()) stateShapes.put(e.getKey(), new int[]{e.getValue().length});
                for (var e : tensors(file, archive, OPTIMIZER, stateShapes, "the optimizer's state").entrySet()) {
                    state.put(e.getKey(), e.getValue().toArray());
                }
            }
            optimizer.loadState(state, CompileSettings.steps(json.get("optimizer")));
        }
        if (loss != null) {
            Optimizer chosen = optimizer;
            model.compile(chosen == null ? null : params -> chosen, loss, metrics.toArray(new Metric[0]));
        }
        int epochs = (int) Json.asLong(json.getOrDefault("epochs_done", 0L), "epochs_done");
        model.restoreTrainingState(optimizer, epochs);
        model.history().clear();
        for (Object epoch : Json.asArray(json.getOrDefault("history", List.of()), "history")) {
            Map<String, Double> logs = new LinkedHashMap<>();
            for (var e : Json.asObject(epoch, "history entry").entrySet()) logs.put(e.getKey(), Json.asDouble(e.getValue(), "history value"));
            model.history().add(logs);
        }
        model.metadata().clear();
        model.metadata().putAll(Json.asObject(json.getOrDefault("metadata", Map.of()), "metadata"));
        if (json.get("target_scaling") != null) {
            Map<String, Object> t = Json.asObject(json.get("target_scaling"), "target_scaling");
            double mean = Json.asDouble(t.get("mean"), "target_scaling.mean");
            double std = Json.asDouble(t.get("std"), "target_scaling.std");
            if (!Double.isFinite(mean) || !(std > 0) || !Double.isFinite(std)) {
                throw new ModelFormatException(file + ": model.json target_scaling needs a finite mean and a positive"
                        + " std, got mean " + mean + " and std " + std);
            }
            model.targetScaling(new Model.TargetScaling(mean, std));
        }
        if (json.get("class_names") != null) {
            List<String> names = new ArrayList<>();
            for (Object o : Json.asArray(json.get("class_names"), "class_names")) names.add(Json.asString(o, "class_names"));
            model.classNames(names);
        }
        model.tokenizer(archive.contains(TOKENIZER)
                ? tokenizer(file, archive.read(TOKENIZER, MAX_TOKENIZER_BYTES, "a tokenizer may take")) : null);
    }

    private static Tokenizer tokenizer(Path file, byte[] raw) throws ModelFormatException {
        String where = file + ": " + TOKENIZER;
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            // a tokenizer is an object of flat lists: 3 levels (merges are lists of pairs)
            return Tokenizer.fromJson(Json.parse(text, 4), where);
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(where + " is not UTF-8", e);
        } catch (RuntimeException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new ModelFormatException(m.startsWith(where) ? m : where + ": " + m, e);
        }
    }
}
