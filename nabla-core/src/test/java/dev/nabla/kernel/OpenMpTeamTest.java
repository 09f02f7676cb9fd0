package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class OpenMpTeamTest {

    @Test
    void availableWithOneDnnOnJdk22AndLater() {
        boolean expected = Kernels.gemm() instanceof OneDnnGemm && Runtime.version().feature() >= 22;
        assertEquals(expected, OpenMpTeam.available(), "native failure: " + Kernels.nativeFailure());
        if (!expected) {
            assertEquals(0, OpenMpTeam.single());
            assertFalse(OpenMpTeam.maxThreads() > 0);
        }
    }

    @Test
    void singleLimitsOnlyThisThreadAndRestores() throws InterruptedException {
        if (!OpenMpTeam.available()) return;
        int before = OpenMpTeam.maxThreads();
        int token = OpenMpTeam.single();
        assertEquals(before, token);
        assertEquals(1, OpenMpTeam.maxThreads());
        int[] seenElsewhere = new int[1];
        Thread other = new Thread(() -> seenElsewhere[0] = OpenMpTeam.maxThreads());
        other.start();
        other.join();
        assertEquals(before, seenElsewhere[0], "the team size is per thread");
        OpenMpTeam.restore(token);
        assertEquals(before, OpenMpTeam.maxThreads());
    }
}
