package dev.nabla.optim;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Names, PyTorch's default hyperparameters, and argument checks. */
class OptimizerConfigTest {

    private static final List<Tensor> PARAMS = List.of(Tensor.zeros(2, 3).requiresGrad(true));

    @Test
    void defaultsAreTorchs() {
        Optimizer sgd = new Sgd(PARAMS, 0.1f);
        assertEquals("sgd", sgd.name());
        assertEquals(Map.of("momentum", 0.0, "dampening", 0.0, "weight_decay", 0.0, "nesterov", 0.0),
                sgd.hyperparameters());

        Optimizer adam = new Adam(PARAMS);
        assertEquals("adam", adam.name());
        assertEquals(1e-3f, adam.learningRate());
        assertEquals(Map.of("beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0, "amsgrad", 0.0),
                adam.hyperparameters());

        Optimizer adamW = new AdamW(PARAMS);
        assertEquals("adamw", adamW.name());
        assertEquals(1e-3f, adamW.learningRate());
        assertEquals(Map.of("beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.01, "amsgrad", 0.0),
                adamW.hyperparameters());

        Optimizer rms = new RmsProp(PARAMS);
        assertEquals("rmsprop", rms.name());
        assertEquals(0.01f, rms.learningRate());
        assertEquals(Map.of("alpha", 0.99, "eps", 1e-8, "weight_decay", 0.0, "momentum", 0.0, "centered", 0.0),
                rms.hyperparameters());

        Optimizer adagrad = new Adagrad(PARAMS);
        assertEquals("adagrad", adagrad.name());
        assertEquals(0.01f, adagrad.learningRate());
        assertEquals(Map.of("lr_decay", 0.0, "weight_decay", 0.0, "initial_accumulator_value", 0.0, "eps", 1e-10),
                adagrad.hyperparameters());
    }

    @Test
    void sgdStepIsPlainGradientDescent() {
        Tensor p = Tensor.of(new float[]{1, 2}).requiresGrad(true);
        p.setGrad(Tensor.of(new float[]{10, -20}));
        new Sgd(List.of(p), 0.5f).step();
        assertArrayEquals(new float[]{-4, 12}, p.toArray(), 0f);
    }

    @Test
    void parametersWithoutGradientsAreLeftAlone() {
        Tensor p = Tensor.of(new float[]{1, 2}).requiresGrad(true);
        Optimizer adamW = new AdamW(List.of(p), 0.1f, 0.5);
        adamW.step();   // no gradient: no decay either, as in PyTorch
        assertArrayEquals(new float[]{1, 2}, p.toArray(), 0f);
        assertEquals(0f, adamW.state().get("0.step")[0]);
    }

    @Test
    void rejectsInvalidHyperparameters() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd(PARAMS, -0.1f));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(PARAMS, 0.1f, -0.9));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(PARAMS, 0.1f, 0, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(PARAMS, 0.1f, 0.9, 0.1, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(PARAMS, 0.1f, 0.9, 0, -1e-4, false));
        assertThrows(IllegalArgumentException.class, () -> new Adam(PARAMS, 0.1f, 1.0, 0.999, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Adam(PARAMS, 0.1f, 0.9, -0.1, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(PARAMS, 0.1f, 0.9, 0.999, -1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(PARAMS, Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> new RmsProp(PARAMS, 0.01f, -0.5, 1e-8, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new RmsProp(PARAMS, 0.01f, 0.99, 1e-8, 0, -1, false));
        assertThrows(IllegalArgumentException.class, () -> new Adagrad(PARAMS, 0.01f, -1, 0, 0, 1e-10));
        assertThrows(IllegalArgumentException.class, () -> new Adagrad(PARAMS, 0.01f, 0, 0, -0.1, 1e-10));
    }

    @Test
    void rejectsStridedParameters() {
        Tensor owner = Tensor.zeros(2, 3).requiresGrad(true);
        List<Tensor> view = List.of(owner.detach().transpose(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(view));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(view, 0.1f));
    }
}
