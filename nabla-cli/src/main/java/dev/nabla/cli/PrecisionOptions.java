package dev.nabla.cli;

import dev.nabla.kernel.Precision;
import picocli.CommandLine.Option;

/**
 * {@code --precision fp32|bf16} of train, evaluate and predict: the arithmetic of matrix products and convolutions
 * ({@link Precision}). Where bf16 is not available it runs in float32 and says so in one line on standard error.
 */
final class PrecisionOptions {

    @Option(names = "--precision", paramLabel = "fp32|bf16",
            description = "Arithmetic of matrix products and convolutions: fp32 (default) or bf16, mixed precision on "
                    + "CPUs with avx512_bf16 or AMX (float32 weights, losses and norms; falls back to fp32 with a note "
                    + "where the CPU lacks it).")
    String precision;

    /** The precision asked for, checked (a usage error names the flag). */
    Precision chosen() {
        if (precision == null) return Precision.FP32;
        try {
            return Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--precision: " + Printable.of(e.getMessage()));
        }
    }

    /** Opens the chosen precision on this thread; BF16 where it is unavailable prints the note and runs FP32. */
    Precision.Scope open(Io io) {
        return effective(io).use();
    }

    /** The precision that runs: the chosen one, or FP32 (after the one-line note) where bf16 is unavailable. */
    Precision effective(Io io) {
        Precision p = chosen();
        if (p == Precision.BF16) {
            String why = Precision.bf16Unavailable();
            if (why != null) {
                io.err().println("nabla: --precision bf16 unavailable (" + why + "); running in fp32");
                p = Precision.FP32;
            }
        }
        return p;
    }
}
