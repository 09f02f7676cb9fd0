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
        Sequential s = ModelSpec.parse(ModelSpec.DEFAULT_TABLE, "--arch").build(new int[]{4}, 3, 1, "t");
        assertEquals(List.of("dense", "dense", "dense"), types(s));
        assertArrayEquals(new int[]{3}, s.outputShape());
    }

    @Test
    void imageDefaultsAndInsertedFlatten() {
        Sequential cnn = ModelSpec.parse(ModelSpec.DEFAULT_IMAGE, "--arch").build(new int[]{1, 28, 28}, 10, 1, "i");
        assertEquals(List.of("conv", "maxpool", "conv", "maxpool", "flatten", "dense", "dense"), types(cnn));
        Sequential mlp = ModelSpec.parse("dense:32:relu,dropout:0.2,dense:16:tanh", "--arch").build(new int[]{3, 8, 8}, 2, 1, "i");
        assertEquals(List.of("flatten", "dense", "dropout", "dense", "dense"), types(mlp));
        Sequential convOnly = ModelSpec.parse("conv:4:3:relu:same,maxpool", "--arch").build(new int[]{1, 8, 8}, 1, 1, "i");
        assertEquals(List.of("conv", "maxpool", "flatten", "dense"), types(convOnly));
        assertArrayEquals(new int[]{1}, convOnly.outputShape());
    }

    @Test
    void errorsNameTheTokenAndFlag() {
        UsageException e = assertThrows(UsageException.class, () -> ModelSpec.parse("dense:8,pool:0", "--arch"));
        assertTrue(e.getMessage().startsWith("--arch: bad layer 'pool:0'"), e.getMessage());
        e = assertThrows(UsageException.class, () -> ModelSpec.parse("dense:8:wobble", "--arch"));
        assertTrue(e.getMessage().contains("'dense:8:wobble'") && e.getMessage().contains("wobble"), e.getMessage());
        e = assertThrows(UsageException.class, () -> ModelSpec.parse("dense:8,,dense:4", "--arch"));
        assertTrue(e.getMessage().contains("empty layer"), e.getMessage());
        e = assertThrows(UsageException.class, () -> ModelSpec.parse("flatten,conv:4:3", "--arch").build(new int[]{1, 8, 8}, 2, 1, "i"));
        assertTrue(e.getMessage().contains("conv:4:3"), e.getMessage());
    }

    @Test
    void fileFormHasTheInsertedFlattensButNotTheOutputLayer() {
        ModelSpec spec = ModelSpec.parse("conv:4:3:relu,maxpool,dense:8:relu", "--arch");
        var layers = (List<?>) spec.architecture(new int[]{1, 8, 8}, "i").get("layers");
        assertEquals(List.of("conv", "maxpool", "flatten", "dense"), layers.stream().map(l -> ((java.util.Map<?, ?>) l).get("type")).toList());
        assertEquals(8L, ((java.util.Map<?, ?>) layers.get(3)).get("units"));
        assertEquals(List.of(), ModelSpec.parse("", "--arch").architecture(new int[]{4}, "t").get("layers"));
    }
}
