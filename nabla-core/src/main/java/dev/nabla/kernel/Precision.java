package dev.nabla.kernel;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The arithmetic matrix products and convolutions run in: {@link #FP32} (the default) or {@link #BF16}, mixed
 * precision as PyTorch's CPU autocast does it: matmul, dense layers, recurrent cells' products and convolutions read
 * their operands rounded to bfloat16 (8 bits of mantissa) and accumulate and write float32; weights, gradients,
 * optimizer state, losses, norms and softmax stay float32. oneDNN runs the products on the CPU's bf16 instructions
 * ({@code avx512_bf16}, AMX).
 *
 * <p>A precision applies to the calling thread while a {@link #use() scope} is open:
 *
 * <pre>{@code
 * try (var bf16 = Precision.BF16.use()) {
 *     Tensor p = model.predict(x);
 * }
 * }</pre>
 *
 * {@code FitOptions.precision} opens one around training. Where bf16 is not available (a CPU without
 * {@code avx512_bf16} or AMX, the pure-Java kernels, or the system property {@code nabla.bf16=off}) a BF16 scope runs
 * in float32 and says so once per process in one line on standard error.
 */
public enum Precision {
    /** Single precision everywhere. */
    FP32,
    /** bfloat16 operands, float32 accumulation and results, float32 master weights. */
    BF16;

    private static final ThreadLocal<Precision> CURRENT = ThreadLocal.withInitial(() -> FP32);
    /** Open BF16 scopes in the process: the float32 path reads only this (no thread-local look-up while it is 0). */
    private static final AtomicInteger BF16_SCOPES = new AtomicInteger();

    /** An open precision scope; closing it restores the thread's previous precision. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** {@code "fp32"} or {@code "bf16"}, as the command line writes it. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code "fp32"}/{@code "float32"} or {@code "bf16"}/{@code "bfloat16"} (any case); otherwise an exception naming the choices. */
    public static Precision parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "fp32", "float32" -> FP32;
            case "bf16", "bfloat16" -> BF16;
            default -> throw new IllegalArgumentException("unknown precision '" + text + "': use fp32 or bf16");
        };
    }

    /**
     * Runs this thread's products in this precision until the scope closes. BF16 where it is not available runs in
     * float32 (with the one-line note, see {@link #bf16Unavailable()}).
     */
    public Scope use() {
        Precision previous = CURRENT.get();
        Precision effective = this == BF16 && !Bf16Support.usable() ? FP32 : this;
        CURRENT.set(effective);
        if (effective == BF16) BF16_SCOPES.incrementAndGet();
        return () -> {
            CURRENT.set(previous);
            if (effective == BF16) BF16_SCOPES.decrementAndGet();
        };
    }

    /** The precision the calling thread's products run in now. */
    public static Precision current() {
        return BF16_SCOPES.get() == 0 ? FP32 : CURRENT.get();
    }

    /** Why bf16 would fall back to float32 here, or null when this machine runs it. */
    public static String bf16Unavailable() {
        return Bf16Support.reason();
    }

    /** Whether the calling thread's products run in bf16 now (one volatile read while no BF16 scope is open). */
    static boolean bf16Now() {
        return BF16_SCOPES.get() != 0 && CURRENT.get() == BF16;
    }
}
