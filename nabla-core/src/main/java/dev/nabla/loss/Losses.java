package dev.nabla.loss;

import dev.nabla.config.ConfigCodec;
import dev.nabla.config.ConfigException;
import dev.nabla.config.Registration;
import dev.nabla.config.Registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every loss type by name: the one list that model files, the command line's {@code --loss} and the documentation
 * read. The names are those {@link Loss#name()} reports; the aliases include the command line's spellings
 * ({@code cross-entropy}, {@code binary-cross-entropy}). A loss of one's own is one {@link #register} call:
 *
 * <pre>{@code
 * Losses.register(Losses.loss("log_cosh", LogCosh.Config.class, LogCosh::new));
 * Loss huber = Losses.create("huber", Map.of("delta", 0.5), Set.of(), "--loss");
 * }</pre>
 */
public final class Losses {

    private static final Registry<Loss> REGISTRY = new Registry<>("loss");

    static {
        register(loss(MeanSquaredError.NAME, MeanSquaredError.Config.class, MeanSquaredError::new)
                .aliases("mean_squared_error").summary("mean squared error (torch.nn.MSELoss)"));
        register(loss(MeanAbsoluteError.NAME, MeanAbsoluteError.Config.class, MeanAbsoluteError::new)
                .aliases("mean_absolute_error").summary("mean absolute error (torch.nn.L1Loss)"));
        register(loss(Huber.NAME, Huber.Config.class, Huber::new).summary("Huber loss (torch.nn.HuberLoss)"));
        register(loss(BinaryCrossEntropy.NAME, BinaryCrossEntropy.Config.class, BinaryCrossEntropy::new)
                .aliases("binary_cross_entropy", "bce").summary("binary cross-entropy of logits or probabilities"));
        register(loss(CategoricalCrossEntropy.NAME, CategoricalCrossEntropy.Config.class, CategoricalCrossEntropy::new)
                .aliases("categorical_cross_entropy").summary("softmax cross-entropy against one-hot or probability targets"));
        register(loss(SparseCategoricalCrossEntropy.NAME, SparseCategoricalCrossEntropy.Config.class,
                SparseCategoricalCrossEntropy::new).aliases("cross_entropy", "sparse_categorical_cross_entropy")
                .summary("softmax cross-entropy against class indices (torch.nn.CrossEntropyLoss)"));
    }

    private Losses() {
    }

    /** A registration of a loss type, to refine ({@code .aliases}, {@code .summary}) and {@link #register}. */
    public static <C extends Record> Registration<Loss> loss(String name, Class<C> configType, Function<C, ? extends Loss> constructor) {
        return Registration.of(name, configType, constructor);
    }

    /** Adds a loss type; its name and aliases must be new. */
    public static Registration<Loss> register(Registration<Loss> registration) {
        return REGISTRY.register(registration);
    }

    /** The registry itself (all types, look-ups, command-line tokens such as {@code huber:delta=0.5}). */
    public static Registry<Loss> registry() {
        return REGISTRY;
    }

    /** The registered type name of a loss (of its {@link Loss#config()}); an unregistered loss cannot be saved. */
    public static String nameOf(Loss loss) {
        Record config = loss.config();
        String name = config == null ? null : REGISTRY.nameFor(config.getClass());
        if (name == null) {
            throw new ConfigException("loss '" + loss.name() + "' (" + loss.getClass().getName() + ") is not registered:"
                    + " register its config record with Losses.register(Losses.loss(\"name\", Config.class, ...))");
        }
        return name;
    }

    /** A loss from a registered configuration record, e.g. {@code Losses.create(new Huber.Config(Reduction.SUM, 2f))}. */
    public static Loss create(Record config) {
        String name = REGISTRY.nameFor(config.getClass());
        if (name == null) throw new ConfigException(config.getClass().getName() + " is not a registered loss configuration");
        return REGISTRY.get(name, "loss").create(config);
    }

    /**
     * A loss from its type and JSON values ({@code 0.1}, {@code true}, {@code "sum"}); missing keys take their
     * defaults, unknown ones are an error naming them. {@code ignored} keys are the caller's (e.g. {@code "type"}).
     */
    public static Loss create(String type, Map<String, ?> values, Set<String> ignored, String where) {
        return REGISTRY.create(type, values, ignored, where);
    }

    /**
     * Creates a loss from a name and text settings, as format-1 model files store them
     * ({@code {"reduction": "MEAN", "label_smoothing": "0.1"}}) and as the command line passes them (no settings).
     * Unlike the typed configuration, {@code binary_crossentropy} reads logits unless {@code from_logits} says
     * otherwise, as it always did here.
     */
    public static Loss create(String name, Map<String, String> config) {
        Registration<Loss> r = REGISTRY.get(name, "loss");
        String where = "loss (" + r.name() + ")";
        Map<String, Object> values = new LinkedHashMap<>();
        if (r.configType() == BinaryCrossEntropy.Config.class) values.put("from_logits", true);
        if (config != null) {
            for (var e : config.entrySet()) values.put(e.getKey(), ConfigCodec.parseValue(r.configType(), e.getKey(), e.getValue(), where));
        }
        return r.create(ConfigCodec.decode(r.configType(), values, Set.of(), where));
    }
}
