package dev.nabla.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The machine's FP32 peak that the benchmark's {@code "fraction_of_peak"} is taken of: {@code threads x} a per-core
 * peak that is assumed, not measured: {@value #ENV} when set, else {@value #DEFAULT_PER_CORE} GFLOP/s per core (the
 * AMD EPYC with AVX-512 the benchmark was written on, issue 14: ~358 GFLOP/s over its 2 cores). Every line that
 * reports a fraction of peak also says which per-core peak it assumed and where it came from.
 */
final class Peak {

    /** The environment variable with the per-core FP32 peak in GFLOP/s. */
    static final String ENV = "NABLA_BENCH_PEAK_GFLOPS_PER_CORE";
    /** The benchmark's machine's, as issue 14 states it (~358 GFLOP/s over 2 cores); not measured here. */
    static final double DEFAULT_PER_CORE = 179;

    /** The per-core peak in GFLOP/s and where it came from ({@code "source"} in the result lines). */
    record Assumption(double perCore, String source) {
    }

    private Peak() {
    }

    /** The peak per core from {@code value} ({@value #ENV}'s value, or null when unset). */
    static Assumption assumption(String value) {
        if (value == null || value.isBlank()) {
            return new Assumption(DEFAULT_PER_CORE, "assumed, not measured: the default (this benchmark's machine, an"
                    + " AMD EPYC with AVX-512); set " + ENV + " for another machine");
        }
        double perCore;
        try {
            perCore = Double.parseDouble(value.trim());
        } catch (NumberFormatException bad) {
            perCore = Double.NaN;
        }
        if (!(perCore > 0) || Double.isInfinite(perCore)) {
            throw new IllegalArgumentException(ENV + " must be a positive number of GFLOP/s per core, got '" + value + "'");
        }
        return new Assumption(perCore, "assumed, not measured: from " + ENV);
    }

    /** The assumption of this process's environment. */
    static Assumption fromEnvironment() {
        return assumption(System.getenv(ENV));
    }

    /**
     * Adds {@code flops_per_sample}, the achieved {@code gflops} at {@code samplesPerS}, the assumed peak
     * ({@code peak_gflops} for {@code threads}, {@code peak_gflops_per_core}, {@code peak_source}) and
     * {@code fraction_of_peak}. Returns {@code result}.
     */
    static ResultLine addTo(ResultLine result, long flopsPerSample, double samplesPerS, int threads) {
        Assumption peak = fromEnvironment();
        double gflops = samplesPerS * flopsPerSample * 1e-9;
        return addPeak(result.put("flops_per_sample", flopsPerSample).put("gflops", Timing.round(gflops, 2)), threads, peak)
                .put("fraction_of_peak", Timing.round(gflops / (threads * peak.perCore()), 4));
    }

    /** For gemm: {@code fraction_of_peak} per shape from its GFLOP/s per shape, and the assumed peak. */
    static ResultLine addTo(ResultLine result, Map<String, Double> gflopsByShape, int threads) {
        Assumption peak = fromEnvironment();
        Map<String, Double> fractions = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : gflopsByShape.entrySet()) {
            fractions.put(e.getKey(), Timing.round(e.getValue() / (threads * peak.perCore()), 4));
        }
        return addPeak(result, threads, peak).put("fraction_of_peak", fractions);
    }

    private static ResultLine addPeak(ResultLine result, int threads, Assumption peak) {
        return result.put("peak_gflops", Timing.round(threads * peak.perCore(), 1))
                .put("peak_gflops_per_core", peak.perCore())
                .put("peak_source", peak.source());
    }

    /** One line for the comparison table: the peak a fraction is taken of. */
    static String describe(double perCore, String source) {
        return String.format(Locale.ROOT, "fraction of peak: achieved GFLOP/s over threads x %.1f GFLOP/s per core (FP32; %s)",
                perCore, source);
    }
}
