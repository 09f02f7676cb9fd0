package dev.nabla.optim;

import dev.nabla.config.ConfigCodec;
import dev.nabla.config.Registration;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optimizer registry: every registered type, its typed configuration, and the format-1 adapters. */
public class OptimizerRegistryTest {

    private static final List<Tensor> PARAMS = List.of(Tensor.zeros(2, 3).requiresGrad(true));

    /**
     * Settings that differ from every default (and give every optimizer some state), one entry per registered type:
     * a new optimizer must add one. Also used by the model-file round trip.
     */
    public static final Map<String, Map<String, Object>> NON_DEFAULT = Map.of(
            "sgd", Map.of("learning_rate", 0.05, "momentum", 0.8, "dampening", 0.1, "weight_decay", 0.001),
            "momentum", Map.of("learning_rate", 0.05, "momentum", 0.7, "weight_decay", 0.001, "nesterov", true),
            "adam", Map.of("learning_rate", 0.02, "beta1", 0.8, "beta2", 0.99, "eps", 1e-6, "weight_decay", 0.001, "amsgrad", true),
            "adamw", Map.of("learning_rate", 0.02, "beta1", 0.85, "beta2", 0.95, "eps", 1e-7, "weight_decay", 0.05, "amsgrad", true),
            "rmsprop", Map.of("learning_rate", 0.02, "alpha", 0.9, "eps", 1e-6, "weight_decay", 0.001, "momentum", 0.5, "centered", true),
            "adagrad", Map.of("learning_rate", 0.05, "lr_decay", 0.01, "weight_decay", 0.001, "initial_accumulator_value", 0.1, "eps", 1e-8));

    @Test
    void everyRegisteredOptimizerCreatesAndItsConfigRoundTrips() {
        assertEquals(Set.copyOf(Optimizers.registry().names()), NON_DEFAULT.keySet(), "optimizers without test settings");
        for (Registration<OptimizerFactory> r : Optimizers.registry().all()) {
            Record defaults = ConfigCodec.decode(r.configType(), Map.of(), Set.of(), "test");
            assertEquals(defaults, ConfigCodec.decode(r.configType(), ConfigCodec.encode(defaults), Set.of(), "test"), r.name());

            Optimizer o = Optimizers.factory(r.name(), NON_DEFAULT.get(r.name()), Set.of(), "test").create(PARAMS);
            Record config = o.config();
            assertEquals(o.name(), Optimizers.nameOf(o), "an optimizer saves under the name it reports");
            assertNotEquals(Optimizers.factory(defaults).create(PARAMS).config(), config, r.name());
            Map<String, Object> json = ConfigCodec.encode(config);
            for (var e : NON_DEFAULT.get(r.name()).entrySet()) {
                Object expected = e.getKey().equals(Optimizers.LEARNING_RATE) ? Double.parseDouble(Float.toString(((Double) e.getValue()).floatValue())) : e.getValue();
                assertEquals(expected, json.get(e.getKey()), r.name() + "." + e.getKey());
            }
            String type = Optimizers.nameOf(o);
            Record again = ConfigCodec.decode(Optimizers.registry().get(type, "test").configType(), json, Set.of(), "test");
            assertEquals(config, again, r.name());
            assertEquals(config, Optimizers.factory(again).create(PARAMS).config(), r.name());
            // the format-1 form (hyperparameters as numbers) reads back to the same optimizer
            assertEquals(config, Optimizers.create(type, PARAMS, o.learningRate(), o.hyperparameters()).config(), r.name());
        }
    }

    @Test
    void momentumIsSgdWithMomentum() {
        Optimizer m = Optimizers.named("momentum", 0.05f).create(PARAMS);
        assertInstanceOf(Sgd.class, m);
        assertEquals(new Sgd.Config(0.05f, 0.9, 0, 0, false), m.config());
        assertEquals("sgd", Optimizers.nameOf(m));
    }

    @Test
    void namedAndDefaultLearningRatesWorkAsBefore() {
        assertEquals(1e-3f, Optimizers.defaultLearningRate("adam"));
        assertEquals(1e-3f, Optimizers.defaultLearningRate("AdamW"));
        for (String name : List.of("sgd", "momentum", "rmsprop", "adagrad")) assertEquals(1e-2f, Optimizers.defaultLearningRate(name), name);
        Optimizer adam = Optimizers.named("adam", 0.25f).create(PARAMS);
        assertEquals(new Adam.Config(0.25f, 0.9, 0.999, 1e-8, 0, false), adam.config());
        assertEquals(new AdamW.Config(0.25f, 0.9, 0.999, 1e-8, 0.01, false), Optimizers.named("adamw", 0.25f).create(PARAMS).config());
        // a bad rate is refused when the factory is made, not at the first fit
        assertThrows(IllegalArgumentException.class, () -> Optimizers.named("sgd", -1f));
    }

    @Test
    void formatOneHyperparametersReadAsBefore() {
        // as release 0.1.0 wrote them (see the v1 golden files): booleans as 1.0 / 0.0
        assertEquals(new Sgd.Config(0.02f, 0.9, 0, 1e-4, true), Optimizers.create("sgd", PARAMS, 0.02f,
                Map.of("momentum", 0.9, "dampening", 0.0, "weight_decay", 1e-4, "nesterov", 1.0)).config());
        assertEquals(new AdamW.Config(0.01f, 0.9, 0.99, 1e-7, 0.05, true), Optimizers.create("adamw", PARAMS, 0.01f,
                Map.of("beta1", 0.9, "beta2", 0.99, "eps", 1e-7, "weight_decay", 0.05, "amsgrad", 1.0)).config());
        assertEquals(new RmsProp.Config(0.02f, 0.9, 1e-8, 0, 0.5, true), Optimizers.create("rmsprop", PARAMS, 0.02f,
                Map.of("alpha", 0.9, "eps", 1e-8, "weight_decay", 0.0, "momentum", 0.5, "centered", 1.0)).config());
        assertEquals(new Adagrad.Config(0.05f, 0.01, 1e-4, 0.1, 1e-10), Optimizers.create("adagrad", PARAMS, 0.05f,
                Map.of("lr_decay", 0.01, "weight_decay", 0.0001, "initial_accumulator_value", 0.1, "eps", 1e-10)).config());
        assertEquals(new Adam.Config(0.01f, 0.9, 0.999, 1e-8, 0, false), Optimizers.create("adam", PARAMS, 0.01f, Map.of()).config());
    }

    @Test
    void unknownNamesKeysAndValuesAreNamed() {
        String name = assertThrows(IllegalArgumentException.class, () -> Optimizers.named("adamm", 0.1f)).getMessage();
        assertTrue(name.contains("'adamm'") && name.contains("adagrad"), name);
        String key = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.factory("adam", Map.of("beta3", 0.9), Set.of(), "optimizer")).getMessage();
        assertTrue(key.contains("'beta3'") && key.contains("beta2"), key);
        String value = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.factory("sgd", Map.of("nesterov", "yes"), Set.of(), "optimizer")).getMessage();
        assertTrue(value.contains("'nesterov'"), value);
        String old = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create("sgd", PARAMS, 0.1f, Map.of("momentun", 0.9))).getMessage();
        assertTrue(old.contains("'momentun'") && old.contains("momentum"), old);
        String range = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.factory("adam", Map.of("beta1", 1.0), Set.of(), "optimizer").create(PARAMS)).getMessage();
        assertTrue(range.contains("beta1"), range);
    }

    @Test
    void registrationsAreUniqueAndNeedALearningRate() {
        Set<Class<?>> configs = new HashSet<>();
        for (Registration<OptimizerFactory> r : Optimizers.registry().all()) assertTrue(configs.add(r.configType()), r.name());
        assertThrows(IllegalArgumentException.class, () -> Optimizers.optimizer("nolr", NoRate.class, (p, c) -> new Sgd(p, 0.1f)));
        assertThrows(IllegalArgumentException.class, () -> Optimizers.register(Optimizers.optimizer("adam", Adam.Config.class, Adam::new)));
    }

    public record NoRate(double momentum) {
    }
}
