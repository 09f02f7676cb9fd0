package dev.nabla.metrics;

import dev.nabla.config.ConfigCodec;
import dev.nabla.config.ConfigException;
import dev.nabla.config.Registration;
import dev.nabla.config.Registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every metric type by name: the one list that model files, the command line and the documentation read. A metric
 * of one's own is one {@link #register} call:
 *
 * <pre>{@code
 * Metrics.register(Metrics.metric("mape", Mape.Config.class, Mape::new));
 * Metric top3 = Metrics.create("top_k_accuracy", Map.of("k", 3), Set.of(), "--metrics");   // reports top_3_accuracy
 * }</pre>
 */
public final class Metrics {

    /** The names {@link TopKAccuracy} reports, e.g. {@code top_3_accuracy}, which format-1 model files stored. */
    private static final Pattern TOP_K = Pattern.compile("top_(\\d+)_accuracy");

    private static final Registry<Metric> REGISTRY = new Registry<>("metric");

    static {
        register(metric(Accuracy.NAME, Accuracy.Config.class, Accuracy::new).summary("share of samples of the right class"));
        register(metric("top_k_accuracy", TopKAccuracy.Config.class, TopKAccuracy::new)
                .summary("share of samples whose class is among the k best scores (reported as top_K_accuracy)"));
        register(metric(Precision.NAME, Precision.Config.class, Precision::new).summary("tp / predicted (macro average)"));
        register(metric(Recall.NAME, Recall.Config.class, Recall::new).summary("tp / actual (macro average)"));
        register(metric(F1Score.NAME, F1Score.Config.class, F1Score::new).aliases("f1").summary("harmonic mean of precision and recall"));
        register(metric(ConfusionMatrix.NAME, ConfusionMatrix.Config.class, ConfusionMatrix::new)
                .summary("counts of (true, predicted) pairs; reports the accuracy"));
        register(metric(RocAuc.NAME, RocAuc.Config.class, RocAuc::new).aliases("roc_auc")
                .summary("area under the ROC curve (one-vs-rest macro average for several classes)"));
        register(metric(MeanSquaredErrorMetric.NAME, MeanSquaredErrorMetric.Config.class, c -> new MeanSquaredErrorMetric())
                .aliases("mean_squared_error").summary("mean squared error"));
        register(metric(MeanAbsoluteErrorMetric.NAME, MeanAbsoluteErrorMetric.Config.class, c -> new MeanAbsoluteErrorMetric())
                .aliases("mean_absolute_error").summary("mean absolute error"));
        register(metric(RSquared.NAME, RSquared.Config.class, c -> new RSquared()).aliases("r_squared")
                .summary("coefficient of determination"));
    }

    private Metrics() {
    }

    /** A registration of a metric type, to refine ({@code .aliases}, {@code .summary}) and {@link #register}. */
    public static <C extends Record> Registration<Metric> metric(String name, Class<C> configType, Function<C, ? extends Metric> constructor) {
        return Registration.of(name, configType, constructor);
    }

    /** Adds a metric type; its name and aliases must be new. */
    public static Registration<Metric> register(Registration<Metric> registration) {
        return REGISTRY.register(registration);
    }

    /** The registry itself (all types, look-ups, command-line tokens such as {@code top_k_accuracy:3}). */
    public static Registry<Metric> registry() {
        return REGISTRY;
    }

    /** The registered type name of a metric (of its {@link Metric#config()}); an unregistered one cannot be saved. */
    public static String nameOf(Metric metric) {
        Record config = metric.config();
        String name = config == null ? null : REGISTRY.nameFor(config.getClass());
        if (name == null) throw notRegistered(metric.name());
        return name;
    }

    /** A metric from a registered configuration record, e.g. {@code Metrics.create(new TopKAccuracy.Config(3))}. */
    public static Metric create(Record config) {
        String name = REGISTRY.nameFor(config.getClass());
        if (name == null) throw new ConfigException(config.getClass().getName() + " is not a registered metric configuration");
        return REGISTRY.get(name, "metric").create(config);
    }

    /**
     * A metric from its type and JSON values; missing keys take their defaults, unknown ones are an error naming them.
     * {@code ignored} keys are the caller's (e.g. {@code "type"}).
     */
    public static Metric create(String type, Map<String, ?> values, Set<String> ignored, String where) {
        return REGISTRY.create(type, values, ignored, where);
    }

    /**
     * Creates a metric by the name it reports, as format-1 model files store them ({@code "accuracy"},
     * {@code "top_2_accuracy"}, {@code "f1_score"}); {@code fromLogits} applies to the metrics that have it.
     */
    public static Metric create(String name, boolean fromLogits) {
        String where = "metric '" + name + "'";
        Matcher topK = TOP_K.matcher(name.trim().toLowerCase(Locale.ROOT));
        if (topK.matches()) {
            return create("top_k_accuracy", Map.of("k", Long.parseLong(topK.group(1))), Set.of(), where);
        }
        Registration<Metric> r = REGISTRY.get(name, where);
        Map<String, Object> values = new LinkedHashMap<>();
        if (ConfigCodec.keys(r.configType()).contains("from_logits")) values.put("from_logits", fromLogits);
        return r.create(ConfigCodec.decode(r.configType(), values, Set.of(), where));
    }

    /**
     * The default configuration of the metric that reports as {@code name} (see {@link Metric#config()}); for a
     * name no registered metric reports, an error saying how to register one.
     */
    public static Record defaultConfig(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        Matcher topK = TOP_K.matcher(key);
        if (topK.matches()) return create(name, false).config();
        Registration<Metric> r = REGISTRY.find(key);
        if (r == null) throw notRegistered(name);
        // decoded, not taken from an instance: a registered metric that keeps this default would ask again
        return ConfigCodec.decode(r.configType(), Map.of(), Set.of(), "metric '" + name + "'");
    }

    private static ConfigException notRegistered(String name) {
        return new ConfigException("metric '" + name + "' is not registered: register its config record with"
                + " Metrics.register(Metrics.metric(\"name\", Config.class, ...)) and return it from config()");
    }
}
