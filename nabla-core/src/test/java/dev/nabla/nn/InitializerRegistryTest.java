package dev.nabla.nn;

import dev.nabla.config.ConfigCodec;
import dev.nabla.config.Registration;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The initializer registry: every registered type, tokens that read back, the same values as the formulas. */
class InitializerRegistryTest {

    private static final int[] SHAPE = {40, 30};

    @Test
    void everyRegisteredInitializerCreatesAndReadsBack() {
        for (Registration<Initializer.Fill> r : Initializers.registry().all()) {
            Record defaults = ConfigCodec.decode(r.configType(), Map.of(), Set.of(), "test");
            assertEquals(defaults, ConfigCodec.decode(r.configType(), ConfigCodec.encode(defaults), Set.of(), "test"), r.name());
            Initializer init = Initializer.of(r.name());
            assertEquals(r.name(), init.name(), "defaults need no settings in the token");
            assertArrayEquals(SHAPE, init.create(SHAPE, 40, 30, new SplittableRandom(1)).shape(), r.name());
            for (String alias : r.aliases()) assertEquals(r.name(), Initializer.of(alias).name(), alias);
        }
    }

    @Test
    void theRegisteredFormulasAreTheDocumentedOnes() {
        int fanIn = 40;
        assertSame(Tensor.uniform(new SplittableRandom(3), -(float) Math.sqrt(6.0 / 70), (float) Math.sqrt(6.0 / 70), SHAPE), "glorot_uniform");
        assertSame(Tensor.normal(new SplittableRandom(3), 0f, (float) Math.sqrt(2.0 / 70), SHAPE), "glorot_normal");
        assertSame(Tensor.uniform(new SplittableRandom(3), -(float) Math.sqrt(6.0 / fanIn), (float) Math.sqrt(6.0 / fanIn), SHAPE), "he_uniform");
        assertSame(Tensor.normal(new SplittableRandom(3), 0f, (float) Math.sqrt(2.0 / fanIn), SHAPE), "he_normal");
        float b = (float) (1.0 / Math.sqrt(fanIn));
        assertSame(Tensor.uniform(new SplittableRandom(3), -b, b, SHAPE), "torch_default");
        assertSame(Tensor.normal(new SplittableRandom(3), 0f, 1f, SHAPE), "normal");
        assertSame(Tensor.normal(new SplittableRandom(3), 0.5f, 0.02f, SHAPE), "normal:0.02:0.5");
        assertSame(Tensor.full(0f, SHAPE), "zeros");
        assertSame(Tensor.full(1f, SHAPE), "ones");
        assertSame(Tensor.full(-0.25f, SHAPE), "constant:-0.25");
    }

    private static void assertSame(Tensor expected, String token) {
        assertArrayEquals(expected.toArray(), Initializer.of(token).create(SHAPE, 40, 30, new SplittableRandom(3)).toArray(), 0f, token);
    }

    @Test
    void settingsAreInTheTokenAndReadBack() {
        Initializer c = Initializer.constant(0.1f);
        assertEquals("constant:value=0.1", c.name());
        assertEquals(0.1f, Initializer.of(c.name()).create(new int[]{2}, 1, 1, new SplittableRandom(0)).toArray()[0]);
        assertEquals("normal:std=0.02", Initializer.of("normal:std=0.02").name());
        assertEquals("normal:std=0.02", Initializer.of("normal:0.02").name());
        assertEquals("normal:std=0.5:mean=1.0", Initializer.of("normal:mean=1:std=0.5").name());
        assertEquals("normal", Initializer.normal(1f).name());
        assertEquals("he_normal", Initializer.of("kaiming-normal").name());
    }

    @Test
    void layersTakeInitializersWithSettings() {
        // a constant's old name, "constant(0.5)", was no valid initializer name, so such a Dense could not be built
        Dense dense = new Dense(3, Activation.LINEAR, true, Initializer.constant(0.5f), Initializer.zeros());
        dense.build(new int[]{4});
        for (float w : dense.weight().toArray()) assertEquals(0.5f, w);
        Layer again = Layers.create("dense", ConfigCodec.encode(dense.config()), Set.of(), "test");
        assertEquals(dense.config(), again.config());

        Layer normal = Layers.create("dense", Map.of("units", 2, "kernel_initializer", "normal:std=0.02"), Set.of(), "layer 0");
        assertEquals("normal:std=0.02", ((Dense.Config) normal.config()).kernelInitializer());
        String message = assertThrows(IllegalArgumentException.class,
                () -> Layers.create("dense", Map.of("units", 2, "kernel_initializer", "glorot"), Set.of(), "layer 0")).getMessage();
        assertTrue(message.contains("layer 0") && message.contains("'glorot'") && message.contains("glorot_uniform"), message);
    }

    @Test
    void unknownNamesKeysAndValuesAreNamed() {
        String name = assertThrows(IllegalArgumentException.class, () -> Initializer.of("xavier")).getMessage();
        assertTrue(name.contains("'xavier'") && name.contains("glorot_uniform"), name);
        String key = assertThrows(IllegalArgumentException.class, () -> Initializer.of("normal:sd=1")).getMessage();
        assertTrue(key.contains("'sd'") && key.contains("std"), key);
        String value = assertThrows(IllegalArgumentException.class, () -> Initializer.of("normal:std=-1")).getMessage();
        assertTrue(value.contains("std") && value.contains("-1"), value);
        String extra = assertThrows(IllegalArgumentException.class, () -> Initializer.of("zeros:1")).getMessage();
        assertTrue(extra.contains("'1'"), extra);
    }
}
