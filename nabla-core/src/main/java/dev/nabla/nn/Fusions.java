package dev.nabla.nn;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The registered {@link Fusion}s, asked in registration order. */
public final class Fusions {

    private static final List<Fusion> FUSIONS = new CopyOnWriteArrayList<>(List.of(new ConvReluMaxPoolFusion(),
            new BatchNormReluFusion(), new AddReluFusion()));

    private Fusions() {
    }

    /** Adds a fusion, asked after those already registered. */
    public static void register(Fusion fusion) {
        FUSIONS.add(fusion);
    }

    /** The first fusion that supports {@code second(first(x))}, or null. */
    public static Fusion find(Module first, Module second) {
        for (Fusion f : FUSIONS) if (f.supports(first, second)) return f;
        return null;
    }
}
