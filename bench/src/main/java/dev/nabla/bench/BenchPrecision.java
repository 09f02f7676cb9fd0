package dev.nabla.bench;

import dev.nabla.kernel.Precision;

/**
 * The arithmetic Nabla's side runs in, {@code -Dnabla.bench.precision=fp32|bf16} ({@code bench/run --precision}); the
 * peers stay float32. Result lines carry it as {@code "precision"}.
 */
final class BenchPrecision {

    static final String PROPERTY = "nabla.bench.precision";

    private BenchPrecision() {
    }

    /** The precision asked for: FP32 unless the property says bf16. */
    static Precision chosen() {
        return Precision.parse(System.getProperty(PROPERTY, "fp32"));
    }

    /** What runs: the chosen precision, or FP32 where bf16 falls back (the core prints its note then). */
    static Precision effective() {
        try (var scope = chosen().use()) {
            return Precision.current();
        }
    }
}
