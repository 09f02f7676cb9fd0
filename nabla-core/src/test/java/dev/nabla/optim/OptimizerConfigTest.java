package dev.nabla.optim;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

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
        assertEquals(new Sgd.Config(0.1f, 0, 0, 0, false), sgd.config());

        Optimizer adam = new Adam(PARAMS);
        assertEquals("adam", adam.name());
        assertEquals(new Adam.Config(1e-3f, 0.9, 0.999, 1e-8, 0, false), adam.config());

        Optimizer adamW = new AdamW(PARAMS);
        assertEquals("adamw", adamW.name());
        assertEquals(new AdamW.Config(1e-3f, 0.9, 0.999, 1e-8, 0.01, false), adamW.config());

        Optimizer rms = new RmsProp(PARAMS);
        assertEquals("rmsprop", rms.name());
        assertEquals(new RmsProp.Config(0.01f, 0.99, 1e-8, 0, 0, false), rms.config());

        Optimizer adagrad = new Adagrad(PARAMS);
        assertEquals("adagrad", adagrad.name());
        assertEquals(new Adagrad.Config(0.01f, 0, 0, 0, 1e-10), adagrad.config());
    }

    @Test
    void configsDefaultToTheConstructorsDefaults() {
        // the records' @Default values and the short constructors must agree, or a file would load differently
        assertEquals(new Adam(PARAMS).config(), Optimizers.factory("adam", Map.of(), Set.of(), "test").create(PARAMS).config());
        assertEquals(new AdamW(PARAMS).config(), Optimizers.factory("adamw", Map.of(), Set.of(), "test").create(PARAMS).config());
        assertEquals(new RmsProp(PARAMS).config(), Optimizers.factory("rmsprop", Map.of(), Set.of(), "test").create(PARAMS).config());
        assertEquals(new Adagrad(PARAMS).config(), Optimizers.factory("adagrad", Map.of(), Set.of(), "test").create(PARAMS).config());
        assertEquals(new Sgd(PARAMS, 0.01f).config(), Optimizers.factory("sgd", Map.of(), Set.of(), "test").create(PARAMS).config());
        assertEquals(new Sgd(PARAMS, 0.01f, 0.9).config(), Optimizers.factory("momentum", Map.of(), Set.of(), "test").create(PARAMS).config());
    }

    @Test
    void hyperparametersAreTheFormatOneForm() {
        Optimizer rms = new RmsProp(PARAMS, 0.01f, 0.9, 1e-7, 0.001, 0.5, true);
        assertEquals(Map.of("alpha", 0.9, "eps", 1e-7, "weight_decay", 0.001, "momentum", 0.5, "centered", 1.0),
                rms.hyperparameters());
        assertEquals(Map.of("momentum", 0.9, "dampening", 0.0, "weight_decay", 0.0, "nesterov", 1.0),
                new Sgd(PARAMS, 0.1f, 0.9, 0, 0, true).hyperparameters());
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
