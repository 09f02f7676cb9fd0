package dev.nabla.kernel;

import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code dnnl_sgemm} reading and writing the Java arrays in place (Java 22+): a foreign-function downcall with
 * {@link Linker.Option#critical(boolean) critical(true)}, which passes heap segments as addresses and keeps the
 * garbage collector from moving them until the call returns, so oneDNN's OpenMP threads may read them too. No copy,
 * no native buffer. Compiled for Java 22 beside the Java 21 classes and loaded by name only there
 * ({@link NativeSgemm#choose}).
 *
 * <p>While JFR samples thread stacks no call comes here: {@link OneDnnGemm} runs the products in Java then
 * ({@link SamplingWatch}), on this path and the copying one alike.
 */
final class HeapSgemm implements NativeSgemm {

    private final MethodHandle sgemm;

    /** Finds {@code dnnl_sgemm} in the oneDNN library JavaCPP loaded; throws where it cannot. */
    HeapSgemm() {
        Loader.load(dnnl.class);
        // dlopen of the loaded library's soname finds the copy already in the process
        MemorySegment symbol = SymbolLookup.libraryLookup("libdnnl.so.3", Arena.global()).find("dnnl_sgemm")
                .orElseThrow(() -> new IllegalStateException("dnnl_sgemm not found in libdnnl.so.3"));
        // dnnl_status_t dnnl_sgemm(char transa, char transb, dim_t M, dim_t N, dim_t K, float alpha, const float *A,
        //     dim_t lda, const float *B, dim_t ldb, float beta, float *C, dim_t ldc), dim_t being int64_t
        FunctionDescriptor signature = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_BYTE,
                ValueLayout.JAVA_BYTE, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
        sgemm = Linker.nativeLinker().downcallHandle(symbol, signature, Linker.Option.critical(true));
        float[] one = {1f};
        float[] out = {0f};
        multiply(false, false, 1, 1, 1, 1f, one, 0, 1, one, 0, 1, 0f, out, 0, 1);
        if (out[0] != 1f) throw new IllegalStateException("in-place dnnl_sgemm self-test failed");
    }

    @Override
    public String name() {
        return "heap";
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                         float beta, float[] c, int cOffset, int ldc) {
        int status;
        try {
            status = (int) sgemm.invokeExact((byte) (transA ? 'T' : 'N'), (byte) (transB ? 'T' : 'N'), (long) m,
                    (long) n, (long) k, alpha, at(a, aOffset), (long) lda, at(b, bOffset), (long) ldb, beta,
                    at(c, cOffset), (long) ldc);
        } catch (Throwable t) {
            throw new IllegalStateException("in-place dnnl_sgemm failed: " + t, t);
        }
        OneDnnGemm.check(status, m, n, k);
    }

    private static MemorySegment at(float[] array, int offset) {
        MemorySegment whole = MemorySegment.ofArray(array);
        return offset == 0 ? whole : whole.asSlice((long) offset * Float.BYTES);
    }
}
