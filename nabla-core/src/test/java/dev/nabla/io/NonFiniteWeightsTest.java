package dev.nabla.io;

import dev.nabla.nn.Dense;
import dev.nabla.nn.Sequential;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model file holding NaN or infinite weights is refused at load, naming the file, the weight and the element. */
class NonFiniteWeightsTest {

    @TempDir
    Path dir;

    @Test
    void nanAndInfiniteWeightsAreRefusedAtLoad() throws Exception {
        for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY}) {
            Sequential net = new Sequential(new Dense(3), new Dense(2)).seed(1);
            net.build(4);
            net.namedParameters().get("1.weight").data()[4] = bad;
            Path file = dir.resolve("bad-" + bad + ".nabla");
            new Model(net).save(file);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> Model.load(file));
            assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("'1.weight'")
                    && e.getMessage().contains("element 4") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
    }
}
