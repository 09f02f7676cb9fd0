package dev.nabla.cli;

import dev.nabla.io.Json;
import dev.nabla.io.ModelArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A model file whose saved preprocessing or class list was damaged or edited by hand (an empty class list, statistics
 * of the wrong length, a zero deviation, feature columns or classes that do not fit the network) is refused when
 * evaluate, predict or info load it: exit 2, one line naming the file and the field, never "internal error:".
 */
class DamagedMetadataTest {

    @TempDir
    static Path dir;

    static Path model;
    static Path csv;

    @BeforeAll
    static void train() throws IOException {
        csv = CliTestSupport.classificationCsv(dir, "t.csv", 60, 4, true);
        model = dir.resolve("m.nabla");
        CliTestSupport.Run run = nabla("train", "--data", csv, "--label", "species", "--epochs", 1, "--out", model);
        assertEquals(0, run.code(), run.err());
    }

    /** A copy of the trained model with {@code edit} applied to its model.json. */
    @SuppressWarnings("unchecked")
    private static Path edited(String name, Consumer<Map<String, Object>> edit) throws IOException {
        Map<String, byte[]> entries = ModelArchive.read(model);
        Map<String, Object> json = Json.asObject(Json.parse(new String(entries.get("model.json"), StandardCharsets.UTF_8)), "m");
        edit.accept(json);
        entries.put("model.json", Json.write(json).getBytes(StandardCharsets.UTF_8));
        Path f = dir.resolve(name);
        ModelArchive.write(f, entries);
        return f;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> preprocessing(Map<String, Object> json) {
        return (Map<String, Object>) ((Map<String, Object>) json.get("metadata")).get("preprocessing");
    }

    private static void refusedEverywhere(Path f, String... mentions) {
        String[] all = new String[mentions.length + 1];
        all[0] = f.toString();
        System.arraycopy(mentions, 0, all, 1, mentions.length);
        nabla("predict", "--model", f, csv).assertUsageError(all);
        nabla("evaluate", "--model", f, "--data", csv).assertUsageError(all);
    }

    @Test
    void anEmptyClassListIsRefused() throws IOException {
        Path f = edited("empty.nabla", j -> {
            j.put("class_names", List.of());
            preprocessing(j).put("classes", List.of());
        });
        refusedEverywhere(f, "preprocessing.classes", "empty");
        nabla("info", "--model", f).assertUsageError(f.toString(), "preprocessing.classes");
    }

    @Test
    void classesThatDoNotFitTheNetworkAreRefused() throws IOException {
        Path f = edited("classes.nabla", j -> j.put("class_names", List.of("a", "b")));
        refusedEverywhere(f, "class_names list 2 classes", "3 outputs");
        Path twice = edited("twice.nabla", j -> preprocessing(j).put("classes", List.of("x", "y", "x")));
        refusedEverywhere(twice, "preprocessing.classes", "'x' is listed twice");
    }

    @Test
    void featureStatisticsOfTheWrongLengthOrWithAZeroDeviationAreRefused() throws IOException {
        Path shortStats = edited("short.nabla", j -> {
            preprocessing(j).put("feature_mean", List.of(0.0, 0.0));
            preprocessing(j).put("feature_std", List.of(1.0, 1.0));
        });
        refusedEverywhere(shortStats, "feature_mean has 2 values", "4 inputs of preprocessing.columns");
        Path shortPlain = edited("short-plain.nabla", j -> {
            preprocessing(j).remove("columns");
            preprocessing(j).put("feature_mean", List.of(0.0, 0.0));
            preprocessing(j).put("feature_std", List.of(1.0, 1.0));
        });
        refusedEverywhere(shortPlain, "feature_mean has 2 values", "4 feature_names");
        for (double bad : new double[]{0, -2}) {
            Path zero = edited("zero" + bad + ".nabla", j -> {
                preprocessing(j).put("feature_mean", List.of(0.0, 0.0, 0.0, 0.0));
                preprocessing(j).put("feature_std", List.of(1.0, bad, 1.0, 1.0));
            });
            refusedEverywhere(zero, "preprocessing.feature_std[1] is " + bad);
        }
        Path half = edited("half.nabla", j -> preprocessing(j).put("feature_mean", List.of(0.0, 0.0, 0.0, 0.0)));
        refusedEverywhere(half, "feature_mean and feature_std come together");
    }

    @Test
    void featureColumnsThatDoNotFitTheNetworkAreRefused() throws IOException {
        Path f = edited("columns.nabla", j -> preprocessing(j).put("feature_names", List.of("a", "b")));
        nabla("predict", "--model", f, csv).assertUsageError(f.toString(), "preprocessing.columns", "are not preprocessing.feature_names [a, b]");
        // a model saved before column encoders has only feature_names, checked against the network
        Path plain = edited("plain-columns.nabla", j -> {
            preprocessing(j).remove("columns");
            preprocessing(j).put("feature_names", List.of("a", "b"));
        });
        nabla("predict", "--model", plain, csv).assertUsageError(plain.toString(), "preprocessing.feature_names (2 columns) does not fit its network");
    }

    @Test
    void aZeroTargetDeviationOrABadImageShapeIsRefused() throws IOException {
        Path std = edited("target.nabla", j -> j.put("target_scaling", Map.of("mean", 1.0, "std", 0.0)));
        refusedEverywhere(std, "target_scaling", "positive std");
        Path shape = edited("shape.nabla", j -> preprocessing(j).put("image_shape", List.of(3)));
        refusedEverywhere(shape, "preprocessing.image_shape must be [channels, height, width]");
        nabla("info", "--model", shape).assertUsageError(shape.toString(), "image_shape");
    }
}
