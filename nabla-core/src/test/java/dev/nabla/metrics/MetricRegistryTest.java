package dev.nabla.metrics;

import dev.nabla.config.ConfigCodec;
import dev.nabla.config.Registration;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metric registry: every registered type, its typed configuration, and the names format-1 files stored. */
class MetricRegistryTest {

    @Test
    void everyRegisteredMetricCreatesAndItsConfigRoundTrips() {
        for (Registration<Metric> r : Metrics.registry().all()) {
            Metric m = Metrics.create(r.name(), Map.of(), Set.of(), "test");
            assertEquals(r.name(), Metrics.nameOf(m));
            Record config = m.config();
            assertInstanceOf(r.configType(), config);
            assertEquals(config, ConfigCodec.decode(r.configType(), ConfigCodec.encode(config), Set.of(), "test"), r.name());
            assertEquals(config, Metrics.create(config).config(), r.name());
            // a metric also comes back from the name it reports (what format-1 files stored)
            assertEquals(config, Metrics.create(m.name(), false).config(), r.name());
        }
    }

    @Test
    void settingsReachTheMetric() {
        Map<String, Object> logits = Map.of("from_logits", true);
        for (String name : new String[]{"accuracy", "precision", "recall", "f1_score", "confusion_matrix"}) {
            Metric m = Metrics.create(name, logits, Set.of(), "test");
            assertTrue(((ClassificationMetric) m).fromLogits(), name);
            assertEquals(logits, ConfigCodec.encode(m.config()), name);
        }
        Metric top3 = Metrics.create("top_k_accuracy", Map.of("k", 3), Set.of(), "test");
        assertEquals("top_3_accuracy", top3.name());
        assertEquals(Map.of("k", 3L), ConfigCodec.encode(top3.config()));
        assertEquals(5, ((TopKAccuracy) Metrics.registry().fromToken("top_k_accuracy", "test")).k(), "Keras' default k");
        assertEquals(2, ((TopKAccuracy) Metrics.registry().fromToken("top_k_accuracy:2", "test")).k());
    }

    @Test
    void formatOneNamesReadAsBefore() {
        Map<String, Class<?>> names = new LinkedHashMap<>();
        names.put("accuracy", Accuracy.class);
        names.put("precision", Precision.class);
        names.put("recall", Recall.class);
        names.put("f1_score", F1Score.class);
        names.put("f1", F1Score.class);
        names.put("confusion_matrix", ConfusionMatrix.class);
        names.put("mse", MeanSquaredErrorMetric.class);
        names.put("mae", MeanAbsoluteErrorMetric.class);
        names.put("r2", RSquared.class);
        names.put("top_2_accuracy", TopKAccuracy.class);
        for (var e : names.entrySet()) assertInstanceOf(e.getValue(), Metrics.create(e.getKey(), true), e.getKey());
        assertEquals(new Accuracy.Config(true), Metrics.create("accuracy", true).config());
        assertEquals(new F1Score.Config(false), Metrics.create("f1", false).config());
        assertEquals(new TopKAccuracy.Config(2), Metrics.create("top_2_accuracy", true).config());
        assertEquals("top_2_accuracy", Metrics.create("top_2_accuracy", false).name());
    }

    @Test
    void aMetricReportingARegisteredNameSavesAsIt() {
        // like the command line's MAE in original units: a wrapper that reports "mae"
        Metric wrapper = new Metric() {
            final MeanAbsoluteErrorMetric inner = new MeanAbsoluteErrorMetric();

            public void reset() {
                inner.reset();
            }

            public void update(Tensor predictions, Tensor targets) {
                inner.update(predictions, targets);
            }

            public double result() {
                return inner.result() * 2;
            }

            public String name() {
                return "mae";
            }
        };
        assertEquals("mae", Metrics.nameOf(wrapper));
        assertEquals(new MeanAbsoluteErrorMetric.Config(), wrapper.config());
    }

    @Test
    void unknownNamesKeysAndValuesAreNamed() {
        String type = assertThrows(IllegalArgumentException.class, () -> Metrics.create("acuracy", Map.of(), Set.of(), "metrics[0]")).getMessage();
        assertTrue(type.contains("metrics[0]") && type.contains("'acuracy'") && type.contains("accuracy"), type);
        String old = assertThrows(IllegalArgumentException.class, () -> Metrics.create("acuracy", false)).getMessage();
        assertTrue(old.contains("'acuracy'") && old.contains("r2"), old);
        String key = assertThrows(IllegalArgumentException.class,
                () -> Metrics.create("accuracy", Map.of("logits", true), Set.of(), "metrics[0]")).getMessage();
        assertTrue(key.contains("'logits'") && key.contains("from_logits"), key);
        String value = assertThrows(IllegalArgumentException.class,
                () -> Metrics.create("top_k_accuracy", Map.of("k", 2.5), Set.of(), "metrics[1]")).getMessage();
        assertTrue(value.contains("'k'") && value.contains("2.5"), value);
        assertThrows(IllegalArgumentException.class, () -> Metrics.create("top_k_accuracy", Map.of("k", 0), Set.of(), "m"));
        Metric own = new Metric() {
            public void reset() {
            }

            public void update(Tensor predictions, Tensor targets) {
            }

            public double result() {
                return 0;
            }

            public String name() {
                return "mape";
            }
        };
        String unregistered = assertThrows(IllegalArgumentException.class, () -> Metrics.nameOf(own)).getMessage();
        assertTrue(unregistered.contains("'mape'") && unregistered.contains("Metrics.register"), unregistered);
    }

    @Test
    void registrationsAreUnique() {
        Set<Class<?>> configs = new HashSet<>();
        for (Registration<Metric> r : Metrics.registry().all()) assertTrue(configs.add(r.configType()), r.name());
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.register(Metrics.metric("f1", F1Score.Config.class, F1Score::new)));
    }
}
