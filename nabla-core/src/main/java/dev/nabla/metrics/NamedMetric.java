package dev.nabla.metrics;

/** A metric with a fixed name, printed as {@code name=result}. */
abstract class NamedMetric implements Metric {

    private final String name;

    NamedMetric(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + "=" + result();
    }
}
