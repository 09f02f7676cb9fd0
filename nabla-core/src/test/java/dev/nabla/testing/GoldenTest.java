package dev.nabla.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Sanity checks of the golden fixtures and of the {@link Golden} reader itself. */
class GoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"conv2d.txt", "pool.txt", "softmax.txt", "gelu.txt", "matmul.txt"})
    void fixturesAreWellFormed(String file) {
        List<Golden.Case> cases = Golden.load(file);
        assertFalse(cases.isEmpty(), file + " has no cases");
        Set<String> names = new HashSet<>();
        for (Golden.Case c : cases) {
            assertTrue(names.add(c.name()), file + ": duplicate case " + c.name());
            assertTrue(c.has("op"), c + ": missing param op");
            for (String t : c.tensorNames()) {
                Golden.Tensor tensor = c.tensor(t);
                assertEquals(Golden.numel(tensor.shape()), tensor.values().length,
                        c + ": tensor " + t + " values length does not match its shape");
                for (float v : tensor.values()) {
                    assertTrue(Float.isFinite(v), c + ": tensor " + t + " has non-finite value " + v);
                }
            }
            assertTrue(c.has("out") && c.has("gout"), c + ": needs out and gout");
            assertArrayEquals(c.tensor("out").shape(), c.tensor("gout").shape(), c + ": gout shape != out shape");
            int inputs = 0;
            for (String t : c.tensorNames()) {
                if (t.startsWith("grad_") || t.equals("out") || t.equals("gout")) {
                    continue;
                }
                inputs++;
                assertArrayEquals(c.tensor(t).shape(), c.tensor("grad_" + t).shape(),
                        c + ": grad_" + t + " shape != " + t + " shape");
            }
            assertTrue(inputs > 0, c + ": no inputs");
        }
    }

    /** Recomputes the matmul outputs in plain Java, which also checks the parser's value order. */
    @Test
    void matmulOutputsMatchNaiveProduct() {
        for (Golden.Case c : Golden.load("matmul.txt")) {
            Golden.Tensor a = c.tensor("a"), b = c.tensor("bm"), out = c.tensor("out");
            int[] as = a.shape(), bs = b.shape(), os = out.shape();
            int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
            assertEquals(k, bs[bs.length - 2], c + ": inner dims");
            int batch = (int) (Golden.numel(os) / ((long) m * n));
            int aBatch = (int) (Golden.numel(as) / ((long) m * k));
            int bBatch = (int) (Golden.numel(bs) / ((long) k * n));
            for (int bi = 0; bi < batch; bi++) {
                int ao = (aBatch == 1 ? 0 : bi) * m * k, bo = (bBatch == 1 ? 0 : bi) * k * n;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) {
                            s += (double) a.values()[ao + i * k + p] * b.values()[bo + p * n + j];
                        }
                        float got = out.values()[bi * m * n + i * n + j];
                        assertEquals(s, got, 1e-4 * (1 + Math.abs(s)), c + " out[" + bi + "," + i + "," + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void readsParamsAndReportsMissingNames() {
        Golden.Case c = Golden.load("conv2d.txt", "kernel3x2_stride2x1_pad1x0");
        assertArrayEquals(new int[] {2, 1}, c.intsParam("stride"));
        assertArrayEquals(new int[] {1, 0}, c.intsParam("padding"));
        assertArrayEquals(new int[] {3, 2}, c.intsParam("kernel"));
        assertEquals("conv2d", c.param("op"));
        assertArrayEquals(new int[] {2, 2, 7, 6}, c.tensor("x").shape());
        assertFalse(c.has("nope"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.tensor("nope"));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.param("nope"));
        assertThrows(IllegalArgumentException.class, () -> Golden.load("conv2d.txt", "no_such_case"));
        assertThrows(IllegalArgumentException.class, () -> Golden.load("no_such_file.txt"));
    }
}
