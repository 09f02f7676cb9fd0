package dev.nabla.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.dnnl.global.dnnl;

/**
 * Whether this process can run {@link Precision#BF16}: oneDNN's native kernels in use and a CPU with bf16 dot
 * products (oneDNN's {@code avx512_core_bf16} level or above, which AMX includes). Without them oneDNN would still
 * accept bf16 but emulate it, slower than float32. The system property {@code nabla.bf16=off} forces the fallback
 * (to compare, and for tests of it).
 */
final class Bf16Support {

    private static final AtomicBoolean NOTED = new AtomicBoolean();
    private static volatile String reason;
    private static volatile boolean known;

    private Bf16Support() {
    }

    /** Null when bf16 runs here, else why not. Read again each time the property may have changed (tests set it). */
    static String reason() {
        if ("off".equalsIgnoreCase(System.getProperty("nabla.bf16", "on").trim())) {
            return "switched off by -Dnabla.bf16=off";
        }
        if (!known) {
            reason = probe();
            known = true;
        }
        return reason;
    }

    private static String probe() {
        if (!(Kernels.gemm() instanceof OneDnnGemm)) {
            String why = Kernels.nativeFailure();
            return "the native oneDNN kernels are not in use (" + (why == null ? "-Dnabla.kernels=java" : why) + ")";
        }
        int isa = dnnl.dnnl_get_effective_cpu_isa();
        int bf16 = dnnl.dnnl_cpu_isa_avx512_core_bf16;
        if ((isa & bf16) != bf16) return "this CPU has no avx512_bf16 or AMX instructions";
        return null;
    }

    /** Lets a test see the note again. */
    static void forgetNote() {
        NOTED.set(false);
    }

    /** Whether bf16 runs here; when not, prints the one-line note (once per process) and returns false. */
    static boolean usable() {
        String why = reason();
        if (why == null) return true;
        if (NOTED.compareAndSet(false, true)) {
            System.err.println("nabla: bf16 precision unavailable (" + why + "); running in float32");
        }
        return false;
    }
}
