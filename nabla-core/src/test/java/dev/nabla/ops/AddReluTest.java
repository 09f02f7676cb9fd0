package dev.nabla.ops;

import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.nabla.testing.GradCheck.awayFromZero;
import static dev.nabla.testing.GradCheck.check;
import static dev.nabla.testing.GradCheck.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fused residual sum and ReLU against finite differences and, float for float, against the two ops in a row. */
class AddReluTest {

    @Test
    void gradientsMatchFiniteDifferences() {
        // b away from zero and a small: a + b stays clear of ReLU's kink by more than the step
        check("addRelu", in -> AddRelu.apply(in[0], in[1]), uniform(1, -0.05f, 0.05f, 3, 2, 4),
                awayFromZero(2, 0.2f, 1, 3, 2, 4));
    }

    @Test
    void isAddThenRelu() {
        Tensor a = uniform(1, -2, 2, 64, 32, 8, 8);
        Tensor b = uniform(2, -2, 2, 64, 32, 8, 8);
        Tensor upstream = uniform(3, -1, 1, 64, 32, 8, 8);
        Tensor[] fused = {a.detach().requiresGrad(true), b.detach().requiresGrad(true)};
        Tensor[] plain = {a.detach().requiresGrad(true), b.detach().requiresGrad(true)};
        Tensor y = AddRelu.apply(fused[0], fused[1]);
        Tensor z = plain[0].add(plain[1]).relu();
        assertArrayEquals(z.toArray(), y.toArray(), "forward");
        y.mul(upstream).sum().backward();
        z.mul(upstream).sum().backward();
        for (int i = 0; i < 2; i++) assertArrayEquals(plain[i].grad().toArray(), fused[i].grad().toArray(), "gradient " + i);
    }

    @Test
    void refusesToBroadcast() {
        assertThrows(ShapeException.class, () -> AddRelu.apply(Tensor.ones(2, 3), Tensor.ones(3)));
    }
}
