package dev.nabla.cli;

import dev.nabla.nn.Layer;
import dev.nabla.nn.Sequential;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSpecTest {

    private static List<String> types(Sequential s) {
        return s.layers().stream().map(m -> ((Layer) m).type()).toList();
    }

    @Test
    void tableDefaultsAndOutputLayer() {
        Sequential s = ModelSpec.parse(ModelSpec.DEFAULT_TABLE, "--model").build(new int[]{4}, 3, 1, "t");
        assertEquals(List.of("dense", "dense", "dense"), types(s));
        assertArrayEquals(new int[]{3}, s.outputShape());
    }

    @Test
    void imageDefaultsAndInsertedFlatten() {
        Sequential cnn = ModelSpec.parse(ModelSpec.DEFAULT_IMAGE, "--model").build(new int[]{1, 28, 28}, 10, 1, "i");
        assertEquals(List.of("conv", "maxpool", "conv", "maxpool", "flatten", "dense", "dense"), types(cnn));
        Sequential mlp = ModelSpec.parse("dense:32:relu,dropout:0.2,dense:16:tanh", "--model").build(new int[]{3, 8, 8}, 2, 1, "i");
        assertEquals(List.of("flatten", "dense", "dropout", "dense", "dense"), types(mlp));
        Sequential convOnly = ModelSpec.parse("conv:4:3:relu:same,maxpool", "--model").build(new int[]{1, 8, 8}, 1, 1, "i");
        assertEquals(List.of("conv", "maxpool", "flatten", "dense"), types(convOnly));
        assertArrayEquals(new int[]{1}, convOnly.outputShape());
    }

    @Test
    void errorsNameTheTokenAndFlag() {
        UsageException e = assertThrows(UsageException.class, () -> ModelSpec.parse("dense:8,pool:0", "--model"));
        assertTrue(e.getMessage().startsWith("--model: bad layer 'pool:0'"), e.getMessage());
        e = assertThrows(UsageException.class, () -> ModelSpec.parse("dense:8:wobble", "--model"));
        assertTrue(e.getMessage().contains("'dense:8:wobble'") && e.getMessage().contains("wobble"), e.getMessage());
        e = assertThrows(UsageException.class, () -> ModelSpec.parse("dense:8,,dense:4", "--model"));
        assertTrue(e.getMessage().contains("empty layer"), e.getMessage());
        e = assertThrows(UsageException.class, () -> ModelSpec.parse("flatten,conv:4:3", "--model").build(new int[]{1, 8, 8}, 2, 1, "i"));
        assertTrue(e.getMessage().contains("conv:4:3"), e.getMessage());
    }
}
