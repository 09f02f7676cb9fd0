import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A loop that calls oneDNN's {@code dnnl_sgemm} (128x784 times 784x256, the shape of a small MLP's first layer) on
 * native memory through the foreign-function API and allocates Java garbage between the calls. Run under JFR's
 * {@code profile} settings (see run.sh), JDK 25.0.3 with the serial collector crashed here in most 20-second runs
 * (glibc "corrupted size vs. prev_size", "free(): invalid size", SIGSEGV in JfrStackTraceRepository::write); with
 * {@code jdk.ExecutionSample#enabled=false}, or without JFR, it never did. Nothing of Nabla is involved: the class
 * path is JavaCPP and its oneDNN preset only.
 *
 * <p>{@code java -cp CP Repro.java SECONDS [critical]}: {@code critical} passes {@code Linker.Option.critical(false)}.
 */
public final class Repro {

    public static void main(String[] args) throws Throwable {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        boolean critical = args.length > 1 && args[1].equals("critical");
        Loader.load(dnnl.class);
        MemorySegment symbol = SymbolLookup.libraryLookup("libdnnl.so.3", Arena.global()).find("dnnl_sgemm").orElseThrow();
        // dnnl_status_t dnnl_sgemm(char transa, char transb, dim_t M, dim_t N, dim_t K, float alpha, const float *A,
        //     dim_t lda, const float *B, dim_t ldb, float beta, float *C, dim_t ldc)
        FunctionDescriptor signature = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_BYTE,
                ValueLayout.JAVA_BYTE, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
        MethodHandle sgemm = critical
                ? Linker.nativeLinker().downcallHandle(symbol, signature, Linker.Option.critical(false))
                : Linker.nativeLinker().downcallHandle(symbol, signature);
        int m = 128, n = 256, k = 784;
        Arena arena = Arena.ofConfined();
        MemorySegment a = arena.allocate((long) m * k * Float.BYTES, 64);
        MemorySegment b = arena.allocate((long) k * n * Float.BYTES, 64);
        MemorySegment c = arena.allocate((long) m * n * Float.BYTES, 64);
        for (long i = 0; i < (long) m * k; i++) a.setAtIndex(ValueLayout.JAVA_FLOAT, i, (i % 7) * 0.1f);
        for (long i = 0; i < (long) k * n; i++) b.setAtIndex(ValueLayout.JAVA_FLOAT, i, (i % 5) * 0.1f);
        List<float[]> garbage = new ArrayList<>();
        long calls = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            int status = (int) sgemm.invokeExact((byte) 'N', (byte) 'N', (long) m, (long) n, (long) k, 1f, a, (long) k,
                    b, (long) n, 0f, c, (long) n);
            if (status != 0) throw new IllegalStateException("dnnl_sgemm status " + status);
            // young garbage, with some survivors, so that collections run while the sampler walks stacks
            garbage.add(new float[1 + (int) (calls % 4096)]);
            if (garbage.size() > 64) garbage.clear();
            calls++;
        }
        System.out.println("done: " + calls + " calls, c[0] = " + c.getAtIndex(ValueLayout.JAVA_FLOAT, 0));
    }
}
