package dev.nabla.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The kernels in use are the ones asked for: oneDNN by default where it loads, pure Java when forced. */
class KernelSelectionTest {

    @Test
    void kernelMatchesTheRequest() {
        String requested = System.getProperty("nabla.kernels", "native");
        if (requested.equals("java")) {
            assertEquals("java", Kernels.gemm().name());
        } else if (Kernels.nativeFailure() == null) {
            assertEquals("onednn", Kernels.gemm().name());
        } else {
            assertEquals("java", Kernels.gemm().name(), "falls back when the natives cannot load: " + Kernels.nativeFailure());
        }
        assertEquals("java", Kernels.javaGemm().name());
    }
}
