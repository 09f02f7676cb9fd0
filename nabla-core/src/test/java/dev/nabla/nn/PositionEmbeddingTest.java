package dev.nabla.nn;

import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The position layers add the right thing: the table's first T rows, or the paper's sines and cosines. */
class PositionEmbeddingTest {

    @Test
    void learnedPositionsAddTheFirstRowsOfTheTable() {
        PositionEmbedding layer = new PositionEmbedding(6);
        layer.ensureBuilt(4, 3);
        Tensor x = Tensor.uniform(new SplittableRandom(2), -1, 1, 2, 4, 3);
        float[] out = layer.forward(x).toArray();
        float[] table = layer.namedParameters().get("table").toArray();
        float[] in = x.toArray();
        for (int n = 0; n < 2; n++) for (int i = 0; i < 12; i++) assertEquals(in[n * 12 + i] + table[i], out[n * 12 + i], 0f);
        double sq = 0;
        for (float v : table) sq += v * v;
        assertTrue(sq / table.length > 0.2 && sq / table.length < 3, "starts standard normal, got mean square " + sq / table.length);
    }

    @Test
    void learnedPositionsRefuseLongerSequences() {
        ShapeException e = assertThrows(ShapeException.class, () -> new PositionEmbedding(3).ensureBuilt(4, 2));
        assertTrue(e.getMessage().contains("position_embedding") && e.getMessage().contains("max_length 3"), e.getMessage());
    }

    @Test
    void sinusoidalCodeIsTheTransformerPapers() {
        Tensor code = SinusoidalPosition.code(5, 6, 10000);
        for (int t = 0; t < 5; t++) {
            for (int i = 0; i < 3; i++) {
                double angle = t / Math.pow(10000, 2.0 * i / 6);
                assertEquals(Math.sin(angle), code.get(t, 2 * i), 1e-6);
                assertEquals(Math.cos(angle), code.get(t, 2 * i + 1), 1e-6);
            }
        }
        Tensor x = Tensor.ones(2, 5, 6);
        Tensor out = new SinusoidalPosition().forward(x);
        assertEquals(1 + Math.sin(3), out.get(1, 3, 0), 1e-6);
        assertEquals(1 + Math.cos(0), out.get(0, 0, 1), 1e-6);
    }
}
