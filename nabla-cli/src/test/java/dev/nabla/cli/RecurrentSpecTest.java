package dev.nabla.cli;

import dev.nabla.nn.Recurrent;
import dev.nabla.nn.Sequential;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recurrent layers in {@code --arch}: they give their sequence where the next layer reads sequences. */
class RecurrentSpecTest {

    private static final int[] SEQUENCES = {6, 3};

    private static Sequential build(String spec) {
        return ModelSpec.parse(spec, "--arch").build(SEQUENCES, 2, 1, "sequences");
    }

    private static boolean sequences(Sequential net, int index) {
        return ((Recurrent) net.layers().get(index)).returnSequences();
    }

    @Test
    void poolingOverTimeGetsTheSequence() {
        Sequential net = build("lstm:8:bi,globalmaxpool1d");
        assertTrue(sequences(net, 0));
        assertArrayEquals(new int[]{4, 2}, net.forward(Tensor.zeros(4, 6, 3)).shape());
    }

    @Test
    void stackedLayersPassTheSequenceOn() {
        Sequential net = build("gru:8,lstm:4:bi,simplernn:3");
        assertTrue(sequences(net, 0));
        assertTrue(sequences(net, 1));
        assertFalse(sequences(net, 2));
        assertEquals(4, net.layers().size());
    }

    @Test
    void denseTakesTheLastState() {
        Sequential net = build("lstm:8,dense:4");
        assertFalse(sequences(net, 0));
        assertArrayEquals(new int[]{4, 2}, net.forward(Tensor.zeros(4, 6, 3)).shape());
    }

    @Test
    void aGivenSettingIsKept() {
        assertTrue(sequences(build("lstm:8:true,dense:4"), 0));
        UsageException e = assertThrows(UsageException.class, () -> build("lstm:8:return_sequences=false,globalmaxpool1d"));
        assertTrue(e.getMessage().contains("globalmaxpool1d"), e.getMessage());
    }
}
