package dev.nabla.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class NativeEnvironmentTest {

    @Test
    void setsAVariableOnJdk22AndLaterButNeverOverridesOne() {
        boolean set = NativeEnvironment.setIfAbsent("NABLA_TEST_" + System.nanoTime(), "1");
        assertEquals(Runtime.version().feature() >= 22, set);
        assertFalse(NativeEnvironment.setIfAbsent("PATH", "/nowhere"), "an existing variable is left alone");
    }
}
