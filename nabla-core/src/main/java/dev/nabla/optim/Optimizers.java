package dev.nabla.optim;

import dev.nabla.config.ConfigCodec;
import dev.nabla.config.ConfigException;
import dev.nabla.config.Registration;
import dev.nabla.config.Registry;
import dev.nabla.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Every optimizer type by name, each with a configuration record holding PyTorch's defaults: the one list that
 * model files, the command line's {@code --optimizer} and the documentation read. A registration turns a
 * configuration into an {@link OptimizerFactory} (the model's parameters exist only once it is built), so a
 * configuration is all a model file needs:
 *
 * <pre>{@code
 * OptimizerFactory adam = Optimizers.factory(new Adam.Config(3e-4f, 0.9, 0.98, 1e-8, 0, false));
 * OptimizerFactory same = Optimizers.factory("adam", Map.of("learning_rate", 3e-4, "beta2", 0.98), Set.of(), "--optimizer");
 * Optimizers.register(Optimizers.optimizer("lion", Lion.Config.class, Lion::new));
 * }</pre>
 */
public final class Optimizers {

    /** The key every optimizer configuration has. */
    public static final String LEARNING_RATE = "learning_rate";

    private static final Registry<OptimizerFactory> REGISTRY = new Registry<>("optimizer");

    static {
        register(optimizer("sgd", Sgd.Config.class, Sgd::new).summary("stochastic gradient descent (torch.optim.SGD)"));
        register(optimizer("momentum", Sgd.MomentumConfig.class, (p, c) -> new Sgd(p, c.toConfig()))
                .summary("SGD with momentum 0.9 (saved as sgd)"));
        register(optimizer("adam", Adam.Config.class, Adam::new).summary("Adam (torch.optim.Adam)"));
        register(optimizer("adamw", AdamW.Config.class, AdamW::new).summary("Adam with decoupled weight decay (torch.optim.AdamW)"));
        register(optimizer("rmsprop", RmsProp.Config.class, RmsProp::new).summary("RMSprop (torch.optim.RMSprop)"));
        register(optimizer("adagrad", Adagrad.Config.class, Adagrad::new).summary("Adagrad (torch.optim.Adagrad)"));
    }

    private Optimizers() {
    }

    /**
     * A registration of an optimizer type whose constructor takes the parameters and a configuration, to refine
     * ({@code .aliases}, {@code .summary}) and {@link #register}. The configuration must have a {@code learning_rate}.
     */
    public static <C extends Record> Registration<OptimizerFactory> optimizer(String name, Class<C> configType,
                                                                              BiFunction<List<Tensor>, C, ? extends Optimizer> constructor) {
        if (!ConfigCodec.keys(configType).contains(LEARNING_RATE)) {
            throw new IllegalArgumentException(name + ": " + configType.getName() + " has no learningRate component");
        }
        return Registration.of(name, configType, c -> params -> constructor.apply(params, c));
    }

    /** Adds an optimizer type; its name and aliases must be new. */
    public static Registration<OptimizerFactory> register(Registration<OptimizerFactory> registration) {
        return REGISTRY.register(registration);
    }

    /** The registry itself (all types, look-ups, command-line tokens such as {@code adam:learning_rate=3e-4}). */
    public static Registry<OptimizerFactory> registry() {
        return REGISTRY;
    }

    /** The registered type name of an optimizer (of its {@link Optimizer#config()}); an unregistered one cannot be saved. */
    public static String nameOf(Optimizer optimizer) {
        Record config = optimizer.config();
        String name = config == null ? null : REGISTRY.nameFor(config.getClass());
        if (name == null) {
            throw new ConfigException("optimizer '" + optimizer.name() + "' (" + optimizer.getClass().getName() + ") is not"
                    + " registered: register its config record with Optimizers.register(Optimizers.optimizer(\"name\", Config.class, ...))");
        }
        return name;
    }

    /** The factory for a registered configuration record. */
    public static OptimizerFactory factory(Record config) {
        String name = REGISTRY.nameFor(config.getClass());
        if (name == null) throw new ConfigException(config.getClass().getName() + " is not a registered optimizer configuration");
        return REGISTRY.get(name, "optimizer").create(config);
    }

    /**
     * The factory for a type and JSON values ({@code 0.9}, {@code true}); missing keys take PyTorch's defaults,
     * unknown ones are an error naming them. {@code ignored} keys are the caller's (e.g. {@code "type"}, {@code "steps"}).
     */
    public static OptimizerFactory factory(String type, Map<String, ?> values, Set<String> ignored, String where) {
        return REGISTRY.create(type, values, ignored, where);
    }

    /**
     * Creates the named optimizer ({@code sgd}, {@code momentum}, {@code adam}, {@code adamw}, {@code rmsprop},
     * {@code adagrad} or a registered one) with {@code hyperparameters} as {@link Optimizer#hyperparameters()}
     * reports them and format-1 model files store them (booleans as 1 or 0); the rest take their defaults.
     */
    public static Optimizer create(String name, List<Tensor> params, float learningRate, Map<String, Double> hyperparameters) {
        Registration<OptimizerFactory> r = REGISTRY.get(name, "optimizer");
        String where = "optimizer (" + r.name() + ")";
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(LEARNING_RATE, (double) learningRate);
        if (hyperparameters != null) {
            for (var e : hyperparameters.entrySet()) {
                Class<?> type = ConfigCodec.fields(r.configType()).stream().filter(f -> f.key().equals(e.getKey()))
                        .map(ConfigCodec.Field::type).findFirst().orElse(null);
                boolean flag = type == boolean.class || type == Boolean.class;
                values.put(e.getKey(), flag ? (Object) (e.getValue() != 0) : e.getValue());
            }
        }
        return r.create(ConfigCodec.decode(r.configType(), values, Set.of(), where)).create(params);
    }

    /** A factory for the named optimizer with the given learning rate and default settings; checks them now. */
    public static OptimizerFactory named(String name, float learningRate) {
        OptimizerFactory factory = factory(name, Map.of(LEARNING_RATE, (double) learningRate), Set.of(), "optimizer");
        factory.create(List.of());
        return factory;
    }

    /** The learning rate the named optimizer's configuration defaults to: PyTorch's (Adam family 1e-3, others 1e-2). */
    public static float defaultLearningRate(String name) {
        Registration<OptimizerFactory> r = REGISTRY.get(name, "optimizer");
        Record defaults = ConfigCodec.decode(r.configType(), Map.of(), Set.of(), "optimizer (" + r.name() + ")");
        return ((Number) ConfigCodec.encode(defaults).get(LEARNING_RATE)).floatValue();
    }
}
