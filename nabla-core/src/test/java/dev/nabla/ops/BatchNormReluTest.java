package dev.nabla.ops;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.nabla.testing.GradCheck.check;
import static dev.nabla.testing.GradCheck.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Batchnorm with its fused ReLU against finite differences and, float for float, against the two ops in a row. */
class BatchNormReluTest {

    @Test
    void gradientsMatchFiniteDifferences() {
        check("batchNormRelu-train-nchw", in -> BatchNormOp.apply(in[0], in[1], in[2], null, null, 0.1f, 1e-5f,
                true, true), 1e-3, 2e-2, uniform(1, -1, 1, 3, 2, 3, 4), uniform(2, 0.5f, 1.5f, 2), uniform(3, -1, 1, 2));
        check("batchNormRelu-train-no-affine", in -> BatchNormOp.apply(in[0], null, null, null, null, 0.1f, 1e-3f,
                true, true), 1e-3, 2e-2, uniform(7, -1, 1, 2, 3, 5));
        Tensor rm = uniform(8, -0.5f, 0.5f, 2);
        Tensor rv = uniform(9, 0.5f, 1.5f, 2);
        check("batchNormRelu-eval", in -> BatchNormOp.apply(in[0], in[1], in[2], rm, rv, 0.1f, 1e-5f, false, true),
                1e-3, 2e-2, uniform(10, -1, 1, 3, 2, 3, 3), uniform(11, 0.5f, 1.5f, 2), uniform(12, -1, 1, 2));
    }

    /** The same floats as {@code batchNorm(...).relu()}, forward, backward and running averages, split over threads. */
    @Test
    void isBatchNormThenRelu() {
        for (boolean training : new boolean[]{true, false}) {
            Tensor x = uniform(1, -2, 3, 64, 32, 8, 8);
            Tensor gamma = uniform(2, 0.5f, 1.5f, 32);
            Tensor beta = uniform(3, -1, 1, 32);
            Tensor rm = uniform(4, -0.5f, 0.5f, 32);
            Tensor rv = uniform(5, 0.5f, 1.5f, 32);
            Tensor upstream = uniform(6, -1, 1, 64, 32, 8, 8);
            Tensor[] fused = {x.detach().requiresGrad(true), gamma.detach().requiresGrad(true),
                    beta.detach().requiresGrad(true)};
            Tensor[] plain = {x.detach().requiresGrad(true), gamma.detach().requiresGrad(true),
                    beta.detach().requiresGrad(true)};
            Tensor fusedMean = rm.copy();
            Tensor fusedVar = rv.copy();
            Tensor plainMean = rm.copy();
            Tensor plainVar = rv.copy();
            Tensor y = BatchNormOp.apply(fused[0], fused[1], fused[2], fusedMean, fusedVar, 0.1f, 1e-5f, training, true);
            Tensor z = plain[0].batchNorm(plain[1], plain[2], plainMean, plainVar, 0.1f, 1e-5f, training).relu();
            assertArrayEquals(z.toArray(), y.toArray(), "forward, training=" + training);
            y.mul(upstream).sum().backward();
            z.mul(upstream).sum().backward();
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(plain[i].grad().toArray(), fused[i].grad().toArray(),
                        "gradient " + i + ", training=" + training);
            }
            assertArrayEquals(plainMean.toArray(), fusedMean.toArray());
            assertArrayEquals(plainVar.toArray(), fusedVar.toArray());
        }
    }
}
