package dev.nabla.loss;

import dev.nabla.config.ConfigCodec;
import dev.nabla.config.Registration;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loss registry: every registered type, its typed configuration, the old spellings and the old text settings. */
class LossRegistryTest {

    /** Settings that differ from every default, one entry per registered loss (a new loss must add one). */
    static final Map<String, Map<String, Object>> NON_DEFAULT = Map.of(
            "mse", Map.of("reduction", "sum"),
            "mae", Map.of("reduction", "sum"),
            "huber", Map.of("reduction", "sum", "delta", 0.5),
            "binary_crossentropy", Map.of("reduction", "sum", "from_logits", true),
            "categorical_crossentropy", Map.of("reduction", "sum", "label_smoothing", 0.25),
            "sparse_categorical_crossentropy", Map.of("reduction", "sum", "label_smoothing", 0.25));

    @Test
    void everyRegisteredLossCreatesAndItsConfigRoundTrips() {
        assertEquals(Set.copyOf(Losses.registry().names()), NON_DEFAULT.keySet(), "losses without test settings");
        for (Registration<Loss> r : Losses.registry().all()) {
            Loss defaults = Losses.create(r.name(), Map.of(), Set.of(), "test");
            assertEquals(r.name(), Losses.nameOf(defaults));
            assertEquals(r.name(), defaults.name(), "the saved type is the name the loss reports");
            assertInstanceOf(r.configType(), defaults.config());

            Loss custom = Losses.create(r.name(), NON_DEFAULT.get(r.name()), Set.of(), "test");
            Record config = custom.config();
            assertNotEquals(defaults.config(), config, r.name());
            Map<String, Object> json = ConfigCodec.encode(config);
            for (var e : NON_DEFAULT.get(r.name()).entrySet()) assertEquals(e.getValue(), json.get(e.getKey()), r.name() + "." + e.getKey());
            assertEquals(config, ConfigCodec.decode(r.configType(), json, Set.of(), "test"), r.name());
            assertEquals(config, Losses.create(config).config(), r.name());
        }
    }

    @Test
    void theSettingsReachTheLoss() {
        Tensor p = Tensor.of(new float[]{0f, 3f});
        Tensor t = Tensor.of(new float[]{1f, 0f});
        // huber delta 0.5, summed: 0.5 (1 - 0.25) + 0.5 (3 - 0.25) = 1.75
        assertEquals(1.75f, Losses.create("huber", NON_DEFAULT.get("huber"), Set.of(), "test").compute(p, t).item(), 1e-6f);
        // mse summed: 1 + 9
        assertEquals(10f, Losses.create("mse", NON_DEFAULT.get("mse"), Set.of(), "test").compute(p, t).item(), 1e-6f);
    }

    @Test
    void commandLineAndOldNamesResolve() {
        Map<String, Class<?>> names = new LinkedHashMap<>();
        names.put("cross-entropy", SparseCategoricalCrossEntropy.class);
        names.put("cross_entropy", SparseCategoricalCrossEntropy.class);
        names.put("sparse_categorical_crossentropy", SparseCategoricalCrossEntropy.class);
        names.put("binary-cross-entropy", BinaryCrossEntropy.class);
        names.put("binary_crossentropy", BinaryCrossEntropy.class);
        names.put("categorical_crossentropy", CategoricalCrossEntropy.class);
        names.put("mse", MeanSquaredError.class);
        names.put("mean_squared_error", MeanSquaredError.class);
        names.put("mae", MeanAbsoluteError.class);
        names.put("MAE", MeanAbsoluteError.class);
        names.put("huber", Huber.class);
        for (var e : names.entrySet()) {
            assertInstanceOf(e.getValue(), Losses.create(e.getKey(), Map.of(), Set.of(), "test"), e.getKey());
            assertInstanceOf(e.getValue(), Losses.create(e.getKey(), Map.<String, String>of()), e.getKey());
        }
    }

    @Test
    void formatOneTextSettingsReadAsBefore() {
        // as release 0.1.0 wrote them (see the v1 golden files)
        assertEquals(new CategoricalCrossEntropy.Config(Reduction.MEAN, 0.1f),
                Losses.create("categorical_crossentropy", Map.of("reduction", "MEAN", "label_smoothing", "0.1")).config());
        assertEquals(new Huber.Config(Reduction.SUM, 0.5f), Losses.create("huber", Map.of("delta", "0.5", "reduction", "SUM")).config());
        assertEquals(new BinaryCrossEntropy.Config(Reduction.MEAN, false),
                Losses.create("binary_crossentropy", Map.of("reduction", "MEAN", "from_logits", "false")).config());
        // the old entry point read logits unless told otherwise (the command line relies on it); the typed one does not
        assertEquals(new BinaryCrossEntropy.Config(Reduction.MEAN, true), Losses.create("binary-cross-entropy", Map.of()).config());
        assertEquals(new BinaryCrossEntropy.Config(Reduction.MEAN, false),
                Losses.create("binary_crossentropy", Map.of(), Set.of(), "test").config());
    }

    @Test
    void configsAreTypedJson() {
        Map<String, Object> json = ConfigCodec.encode(new SparseCategoricalCrossEntropy(0.5f).config());
        assertEquals(List.of("reduction", "label_smoothing"), List.copyOf(json.keySet()));
        assertEquals("mean", json.get("reduction"));
        assertEquals(0.5, json.get("label_smoothing"));
        assertEquals(Boolean.TRUE, ConfigCodec.encode(new BinaryCrossEntropy(true).config()).get("from_logits"));
    }

    @Test
    void unknownNamesKeysAndValuesAreNamed() {
        String unknown = assertThrows(IllegalArgumentException.class, () -> Losses.create("hubber", Map.of(), Set.of(), "--loss")).getMessage();
        assertTrue(unknown.contains("--loss") && unknown.contains("'hubber'") && unknown.contains("huber"), unknown);
        String old = assertThrows(IllegalArgumentException.class, () -> Losses.create("hubber", Map.<String, String>of())).getMessage();
        assertTrue(old.contains("'hubber'") && old.contains("sparse_categorical_crossentropy"), old);
        String key = assertThrows(IllegalArgumentException.class,
                () -> Losses.create("huber", Map.of("delt", 1.0), Set.of(), "loss")).getMessage();
        assertTrue(key.contains("'delt'") && key.contains("delta"), key);
        String value = assertThrows(IllegalArgumentException.class,
                () -> Losses.create("huber", Map.of("reduction", "median"), Set.of(), "loss")).getMessage();
        assertTrue(value.contains("'reduction'") && value.contains("median"), value);
        String oldKey = assertThrows(IllegalArgumentException.class,
                () -> Losses.create("mse", Map.of("label_smoothing", "0.1"))).getMessage();
        assertTrue(oldKey.contains("'label_smoothing'"), oldKey);
    }

    @Test
    void registrationsAreUniqueAndUnregisteredLossesCannotBeSaved() {
        Set<String> names = new HashSet<>();
        for (Registration<Loss> r : Losses.registry().all()) assertTrue(names.add(r.configType().getName()), r.name());
        assertThrows(IllegalArgumentException.class,
                () -> Losses.register(Losses.loss("mse", MeanSquaredError.Config.class, MeanSquaredError::new)));
        Loss own = new Loss() {
            @Override
            public Tensor compute(Tensor predictions, Tensor targets) {
                return predictions.sum();
            }

            @Override
            public String name() {
                return "own";
            }

            @Override
            public Record config() {
                return new Own();
            }
        };
        String message = assertThrows(IllegalArgumentException.class, () -> Losses.nameOf(own)).getMessage();
        assertTrue(message.contains("'own'") && message.contains("Losses.register"), message);
    }

    public record Own() {
    }
}
