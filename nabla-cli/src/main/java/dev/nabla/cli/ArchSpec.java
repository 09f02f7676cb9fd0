package dev.nabla.cli;

import dev.nabla.io.Json;
import dev.nabla.io.JsonException;
import dev.nabla.nn.Architecture;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Graph;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Layers;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.tensor.Shape;
import dev.nabla.train.Model;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The value of {@code nabla train --arch}: the comma spec ({@link ModelSpec}, e.g. {@code dense:64:relu,dropout:0.2})
 * or {@code @FILE}, an architecture file in JSON ({@code {"layers": [...]}}, read by {@link Architecture#fromSpec}).
 * Either way the task's output layer is appended to the single output, after a flatten where that output is not a
 * vector. {@link Built#architecture} is the same network in the {@code --arch} file form, saved with the model so that
 * {@code nabla info} gives back what trains it again.
 */
final class ArchSpec {

    static final String FLAG = "--arch";

    /** Far above any real architecture file; a bigger one is a mistake, not something to read into memory. */
    private static final long MAX_FILE_BYTES = 16L << 20;

    private final String text;
    private final ModelSpec spec;
    private final Path file;
    private final Map<String, Object> json;

    private ArchSpec(String text, ModelSpec spec, Path file, Map<String, Object> json) {
        this.text = text;
        this.spec = spec;
        this.file = file;
        this.json = json;
    }

    /** The network and its {@code --arch} file form (hidden layers only: the output layer comes from the task). */
    record Built(Module network, Map<String, Object> architecture) {
    }

    /** What was given to {@code --arch} (for reports and the model's training settings). */
    String text() {
        return text;
    }

    /**
     * The default network for samples of {@code sampleShape} (images {@code [channels, height, width]}: adapted to
     * their size); its errors name the default architecture, never a flag the user did not give.
     */
    static ArchSpec defaultFor(boolean images, int[] sampleShape) {
        String text = images && sampleShape.length == 3 ? ModelSpec.defaultImage(sampleShape[1], sampleShape[2]) : ModelSpec.DEFAULT_TABLE;
        return new ArchSpec(text, ModelSpec.parse(text, "the default architecture (" + text + ")"), null, null);
    }

    /** The default network for texts encoded by a tokenizer of {@code vocabulary} ids (see {@link TextDefaults}). */
    static ArchSpec defaultForText(int vocabulary, TextDefaults.Choice choice) {
        return parse(choice.spec()).forText(vocabulary);
    }

    /**
     * Parses {@code --arch}: a file is read and its JSON checked now, before any data is loaded; its layers are
     * checked when {@link #build} knows the sample shape. Errors name the flag, the file and, for JSON, line and column.
     */
    static ArchSpec parse(String value) {
        String v = value.strip();
        if (!v.startsWith("@")) {
            try {
                if (TextArchitecture.mentionsEmbedding(v)) {
                    // the vocabulary (embedding input_dim) comes from the text data: check the rest now, build later
                    ModelSpec.parse(TextArchitecture.fill(v, 2), FLAG);
                    return new ArchSpec(v, null, null, null);
                }
                return new ArchSpec(v, ModelSpec.parse(v, FLAG), null, null);
            } catch (UsageException e) {
                if (looksLikeFile(v)) {
                    throw new UsageException(FLAG + " " + v + ": to read an architecture file, write " + FLAG + " @" + v, e);
                }
                throw e;
            }
        }
        String name = v.substring(1);
        if (name.isBlank()) throw new UsageException(FLAG + " @: give the architecture file's name after @, e.g. " + FLAG + " @arch.json");
        Path file;
        try {
            file = Path.of(name);
        } catch (InvalidPathException e) {
            throw new UsageException(FLAG + " " + v + ": not a valid file name (" + e.getReason() + ")", e);
        }
        return new ArchSpec(v, null, file, read(file));
    }

    private static boolean looksLikeFile(String v) {
        if (v.toLowerCase(Locale.ROOT).endsWith(".json")) return true;
        try {
            return Files.isRegularFile(Path.of(v));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static Map<String, Object> read(Path file) {
        String where = FLAG + " " + file;
        if (!Files.exists(file)) throw new UsageException(where + ": no such file");
        if (Files.isDirectory(file)) throw new UsageException(where + ": is a folder, not an architecture file");
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new UsageException(where + ": " + Files.size(file) + " bytes is too big for an architecture file (at most "
                        + MAX_FILE_BYTES + ")");
            }
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new UsageException(where + ": is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UsageException(where + ": cannot read it: " + Errors.message(e), e);
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (JsonException e) {
            throw new UsageException(where + ": " + Errors.oneLine(e.getMessage()), e);
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw new UsageException(where + ": expected a JSON object such as {\"layers\": [{\"type\": \"dense\", \"units\": 64}]}, got "
                    + (parsed instanceof List<?> ? "a list" : "'" + Errors.oneLine(String.valueOf(parsed)) + "'"));
        }
        return Json.asObject(parsed, where);
    }

    /**
     * The same layers for texts encoded by a tokenizer of {@code vocabulary} ids: embedding layers get it as their
     * {@code input_dim} (see {@link TextArchitecture}).
     */
    ArchSpec forText(int vocabulary) {
        if (file != null) return new ArchSpec(text, null, file, TextArchitecture.fill(json, vocabulary));
        return new ArchSpec(text, ModelSpec.parse(TextArchitecture.fill(text, vocabulary), FLAG), null, null);
    }

    /**
     * The network for samples of {@code sampleShape} with an output layer of {@code outputs} units, built, seeded with
     * {@code seed} unless the file gives a seed. Errors name the flag, the file, the layer (name or index) and the key.
     *
     * @param inputDescription what the data is, for messages (e.g. "data.csv (a table of 4 features)")
     */
    Built build(int[] sampleShape, int outputs, long seed, String inputDescription) {
        if (file == null) {
            ModelSpec layers = spec != null ? spec : ModelSpec.parse(text, FLAG);
            Sequential network = layers.build(sampleShape, outputs, seed, inputDescription);
            return new Built(network, layers.architecture(sampleShape, inputDescription));
        }
        String where = FLAG + " " + file;
        Module network;
        try {
            network = Architecture.fromSpec(json, sampleShape, shape -> head(shape, outputs), where);
            if (network instanceof Graph g && g.inputs().size() != 1) {
                throw new UsageException(where + ": the model has " + g.inputs().size() + " inputs, but " + inputDescription
                        + " gives one kind of sample; the command line trains models of one input");
            }
            if (network.ownSeed() == null) network.seed(seed);
            network.build(List.of(sampleShape));
            int[] out = network.outputShape(List.of(sampleShape));
            if (out != null && !Arrays.equals(out, new int[]{outputs})) {
                throw new UsageException(where + ": the network gives samples of shape " + Shape.str(out) + ", but the task needs "
                        + Shape.str(new int[]{outputs}));
            }
        } catch (UsageException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            // ConfigException and ShapeException; core messages already name the layer and key, most start with where
            String m = Errors.oneLine(e.getMessage());
            throw new UsageException(m.startsWith(where) ? m : where + ": " + m, e);
        }
        return new Built(network, json);
    }

    /** The task's output layer for the network's output of per-sample {@code shape}, flattened first unless a vector. */
    private static List<Layer> head(int[] shape, int outputs) {
        if (shape != null && shape.length == 1) return List.of(new Dense(outputs));
        return List.of(new Flatten(), new Dense(outputs));
    }

    /**
     * The {@code --arch} file form of a saved model, for {@code nabla info} and for continuing training: what
     * {@code --arch} took when the command line trained it ({@code training.architecture}); for models of older
     * releases the comma spec they saved as {@code training.model}; otherwise the whole network as
     * {@link Architecture#toJson} writes it, output layer included (it trains again, with one more output layer).
     */
    static Map<String, Object> ofSaved(Model model) {
        Map<String, Object> training = ModelMetadata.training(model);
        if (training.get("architecture") instanceof Map<?, ?> saved) return Json.asObject(saved, "training.architecture");
        if (training.get("model") instanceof String oldSpec && model.network() instanceof Sequential seq && seq.inputShape() != null) {
            try {
                return ModelSpec.parse(oldSpec, FLAG).architecture(seq.inputShape(), "the model's input");
            } catch (RuntimeException e) {
                // not a spec this release understands: describe the network itself instead
            }
        }
        return Architecture.toJson(model.network());
    }

    /** Whether {@code value} reads as a comma spec of layers (a valid one, or one starting with a layer type). */
    static boolean looksLikeSpec(String value) {
        String v = value.strip();
        if (v.isEmpty()) return false;
        try {
            ModelSpec.parse(v, FLAG);
            return true;
        } catch (UsageException e) {
            return Layers.registry().find(v.split("[:,]", -1)[0]) != null;
        }
    }
}
