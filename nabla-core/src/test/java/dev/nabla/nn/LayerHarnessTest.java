package dev.nabla.nn;

import dev.nabla.autograd.GradMode;
import dev.nabla.config.ConfigCodec;
import dev.nabla.config.Registration;
import dev.nabla.io.Json;
import dev.nabla.optim.Sgd;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.GradCheck;
import dev.nabla.testing.LayerCase;
import dev.nabla.train.Model;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keras' {@code run_layer_test} for every registered layer type, from the lines of {@link LayerCases}: output shape,
 * parameter count, configuration round trip, save and load, gradients of inputs and parameters against finite
 * differences, one SGD step, three steps on reused arrays, seeding, and training against inference mode. A registered type without a line fails.
 */
class LayerHarnessTest {

    private static final long SEED = 7;
    private static final long STEP_SEED = 11;
    private static final int BATCH = 3;

    @TempDir
    Path dir;

    @TestFactory
    List<DynamicNode> everyRegisteredLayerType() {
        List<DynamicNode> out = new ArrayList<>();
        for (Registration<Layer> r : Layers.registry().all()) {
            if (testFixture(r)) continue;
            List<LayerCase> lines = LayerCases.ALL.stream().filter(c -> c.type().equals(r.name())).toList();
            if (lines.isEmpty()) {
                out.add(DynamicTest.dynamicTest(r.name() + ": no harness line", () -> fail("layer type '" + r.name()
                        + "' is registered but has no line in LayerCases: add one (token, input shape, parameter count)")));
            }
            for (LayerCase c : lines) out.add(DynamicContainer.dynamicContainer(c.toString(), checks(c)));
        }
        return out;
    }

    /** Layers that tests register for themselves (their classes live in test-classes) are those tests' business. */
    private static boolean testFixture(Registration<Layer> r) {
        var source = r.configType().getProtectionDomain().getCodeSource();
        return source != null && source.getLocation().getPath().contains("/test-classes/");
    }

    private List<DynamicTest> checks(LayerCase c) {
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(test("output shape", () -> outputShape(c)));
        tests.add(test("parameter count", () -> parameterCount(c)));
        tests.add(test("config round trip", () -> configRoundTrip(c)));
        tests.add(test("save and load", () -> saveAndLoad(c)));
        tests.add(test("gradients in training mode", () -> gradients(c, true)));
        tests.add(test("gradients in inference mode", () -> gradients(c, false)));
        if (c.parameters() > 0) tests.add(test("one SGD step lowers the loss", () -> sgdStep(c)));
        if (c.parameters() > 0) tests.add(test("steps on reused arrays", () -> StepReuseCheck.stepsOnReusedArraysMatchFreshOnes(c, SEED, STEP_SEED, BATCH)));
        tests.add(test("seeding", () -> seeding(c)));
        tests.add(test("training and inference mode", () -> modes(c)));
        tests.add(test("inference from several threads", () -> ConcurrentInferenceCheck.inferenceFromSeveralThreads(c, SEED, BATCH)));
        if (c.maskedInputs().length > 0) tests.add(test("padding changes nothing", () -> PaddingCheck.paddingChangesNothing(c, SEED, BATCH)));
        return tests;
    }

    private static DynamicTest test(String name, Executable check) {
        return DynamicTest.dynamicTest(name, check);
    }

    @Test
    void everyLineNamesARegisteredTypeAndHasShapesAndAParameterCount() {
        for (LayerCase c : LayerCases.ALL) {
            assertNotNull(Layers.registry().find(c.type()), c.toString());
            assertFalse(c.inputShapes().isEmpty(), c + ": no input(...)");
            assertTrue(c.parameters() >= 0, c + ": no params(...)");
        }
    }

    // ---------------------------------------------------------------- the checks

    private static void outputShape(LayerCase c) {
        LayerCase.Built b = c.build(SEED);
        int[] declared = b.layer().outputShape(c.inputShapes());
        Tensor out = forward(b.network(), c.inputs(SEED, BATCH));
        assertArrayEquals(withBatch(declared), out.shape(), c + ": output shape against outputShape");
        assertArrayEquals(declared, b.network().outputShape(c.inputShapes()), c + ": the model's outputShape");
        // a built layer refuses inputs of another shape, naming itself, or (sequences of another length, layers without
        // weights) computes what its outputShape says for them
        List<int[]> wrong = c.inputShapes();
        int[] first = wrong.get(0);
        first[first.length - 1]++;
        Tensor[] bad = new Tensor[wrong.size()];
        for (int i = 0; i < bad.length; i++) bad[i] = Tensor.ones(withBatch(wrong.get(i)));
        Tensor other;
        try {
            other = b.layer().forward(List.of(bad));
        } catch (ShapeException e) {
            assertTrue(e.getMessage().contains(b.layer().type()), e.getMessage());
            return;
        }
        assertArrayEquals(withBatch(b.layer().outputShape(wrong)), other.shape(), c + ": output shape for " + Shape.str(first));
    }

    private static void parameterCount(LayerCase c) {
        Module network = c.build(SEED).network();
        assertEquals(c.parameters(), network.parameterCount(), c + ": parameter count");
        long sum = 0;
        for (Tensor p : network.namedParameters().values()) {
            sum += p.size();
            assertTrue(p.requiresGrad(), c + ": a parameter without gradients");
        }
        assertEquals(c.parameters(), sum);
    }

    private static void configRoundTrip(LayerCase c) {
        Layer layer = c.create();
        assertEquals(c.type(), layer.type(), c + ": type");
        Map<String, Object> config = ConfigCodec.encode(layer.config());
        Layer again = Layers.create(layer.type(), config, Set.of(), "harness");
        assertEquals(layer.getClass(), again.getClass());
        assertEquals(config, ConfigCodec.encode(again.config()), c + ": encode -> create -> encode");
        assertEquals(layer.describe(), again.describe());
        // and through JSON text, as in a model file
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = (Map<String, Object>) Json.parse(Json.write(config));
        Layer fromText = Layers.create(layer.type(), parsed, Set.of(), "harness");
        assertEquals(config, ConfigCodec.encode(fromText.config()), c + ": through JSON text");
        assertEquals(layer.describe(), fromText.describe());
    }

    private void saveAndLoad(LayerCase c) throws IOException {
        LayerCase.Built b = c.build(SEED);
        Module network = b.network();
        // weights away from their initial values, and a training step so that running statistics move
        SplittableRandom rng = new SplittableRandom(3);
        for (Tensor p : network.parameters()) {
            float[] d = p.data();
            for (int i = 0; i < p.size(); i++) d[p.offset() + i] += (float) (rng.nextDouble() - 0.5) * 0.2f;
        }
        network.train(true);
        network.seedTrainingStep(STEP_SEED);
        forward(network, c.inputs(SEED, BATCH));
        Model model = new Model(network);
        Path file = dir.resolve(c.type() + ".nabla");
        model.save(file);
        Model loaded = Model.load(file);
        assertEquals(Architecture.toJson(network), Architecture.toJson(loaded.network()), c + ": architecture");
        assertSameTensors(c + ": parameters", network.namedParameters(), loaded.network().namedParameters());
        assertSameTensors(c + ": buffers", network.namedBuffers(), loaded.network().namedBuffers());
        Tensor[] x = c.inputs(SEED + 1, BATCH);
        if (x.length == 1) {
            assertArrayEquals(model.predict(x[0]).toArray(), loaded.predict(x[0]).toArray(), c + ": predictions");
        } else {
            assertArrayEquals(infer(network, x), infer(loaded.network(), x), c + ": predictions");
        }
    }

    private static void gradients(LayerCase c, boolean training) {
        Module network = c.build(SEED).network();
        network.train(training);
        Tensor[] x = c.inputs(SEED, BATCH);
        Map<String, Tensor> wrt = new LinkedHashMap<>();
        if (c.inputsHaveGradients()) for (int i = 0; i < x.length; i++) wrt.put("input " + i, x[i]);
        wrt.putAll(network.namedParameters());
        assertFalse(wrt.isEmpty(), c + ": nothing to differentiate");
        // dropout draws the same mask for every evaluation, so that the finite differences see one function
        GradCheck.check(c + (training ? " (training)" : " (inference)"), () -> {
            if (training) network.seedTrainingStep(STEP_SEED);
            return forward(network, x);
        }, wrt, c.eps(), c.tolerance());
    }

    private static void sgdStep(LayerCase c) {
        Module network = c.build(SEED).network();
        network.train(true);
        Tensor[] x = c.inputs(SEED, BATCH);
        Tensor target = GradCheck.uniform(5, -1, 1, withBatch(network.outputShape(c.inputShapes())));
        network.seedTrainingStep(STEP_SEED);
        Tensor loss = forward(network, x).sub(target).square().mean();
        loss.backward();
        for (var p : network.namedParameters().entrySet()) {
            float[] g = p.getValue().grad().toArray();
            boolean any = false;
            for (float v : g) any |= v != 0;
            assertTrue(any, c + ": parameter " + p.getKey() + " got a zero gradient");
        }
        new Sgd(network.parameters(), 0.05f).step();
        float after;
        try (var ignored = GradMode.noGrad()) {
            network.seedTrainingStep(STEP_SEED);
            after = forward(network, x).sub(target).square().mean().item();
        }
        assertTrue(after < loss.item(), c + ": loss " + loss.item() + " -> " + after + " after one SGD step");
    }

    private static void seeding(LayerCase c) {
        float[] first = state(c, 1);
        assertArrayEquals(first, state(c, 1), c + ": same seed, same weights and output");
        if (c.isSeeded()) {
            assertFalse(Arrays.equals(first, state(c, 2)), c + ": another seed gave the same weights and output");
        } else {
            assertArrayEquals(first, state(c, 2), c + ": the layer has no random state, yet the seed changed it");
        }
    }

    /** Every parameter and the training-mode output of a model built with this seed, end to end. */
    private static float[] state(LayerCase c, long seed) {
        Module network = c.build(seed).network();
        network.train(true);
        List<float[]> parts = new ArrayList<>();
        for (Tensor p : network.parameters()) parts.add(p.toArray());
        try (var ignored = GradMode.noGrad()) {
            parts.add(forward(network, c.inputs(SEED, BATCH)).toArray());
        }
        int n = parts.stream().mapToInt(a -> a.length).sum();
        float[] all = new float[n];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        return all;
    }

    private static void modes(LayerCase c) {
        Module network = c.build(SEED).network();
        Tensor[] x = c.inputs(SEED, BATCH);
        network.train(true);
        network.seedTrainingStep(STEP_SEED);
        float[] training;
        try (var ignored = GradMode.noGrad()) {
            training = forward(network, x).toArray();
        }
        float[] inference = infer(network, x);
        if (c.isModeDependent()) {
            assertFalse(Arrays.equals(training, inference), c + ": training and inference gave the same output");
        } else {
            assertArrayEquals(training, inference, c + ": training and inference differ");
        }
    }

    /**
     * Dropout in training: the fraction zeroed is the rate, survivors are scaled by 1 / (1 - rate), a step seed fixes
     * the mask and another changes it; at inference it is the identity.
     */
    @Test
    void dropoutMasksInTraining() {
        float rate = 0.3f;
        Sequential net = new Sequential(new Dropout(rate)).seed(5).build(1000);
        Tensor x = Tensor.ones(20, 1000);
        net.train(true);
        net.seedTrainingStep(1);
        float[] out = net.forward(x).toArray();
        int zeros = 0;
        for (float v : out) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / (1 - rate), v, 1e-6, "a kept activation is scaled by 1 / (1 - rate)");
            }
        }
        // 20000 draws: the standard deviation of the fraction is 0.0032
        assertEquals(rate, zeros / (double) out.length, 0.02, "fraction zeroed");
        net.seedTrainingStep(1);
        assertArrayEquals(out, net.forward(x).toArray(), "the same step seed, the same mask");
        net.seedTrainingStep(2);
        assertFalse(Arrays.equals(out, net.forward(x).toArray()), "another step seed, another mask");
        net.train(false);
        assertArrayEquals(x.toArray(), net.forward(x).toArray(), "inference leaves inputs alone");
    }

    // ---------------------------------------------------------------- helpers

    private static Tensor forward(Module network, Tensor[] x) {
        return network.forward(List.of(x));
    }

    /** The output in inference mode, without gradients; the mode is restored. */
    private static float[] infer(Module network, Tensor[] x) {
        boolean was = network.isTraining();
        network.train(false);
        try (var ignored = GradMode.noGrad()) {
            return forward(network, x).toArray();
        } finally {
            network.train(was);
        }
    }

    private static int[] withBatch(int[] sample) {
        int[] out = new int[sample.length + 1];
        out[0] = BATCH;
        System.arraycopy(sample, 0, out, 1, sample.length);
        return out;
    }

    private static void assertSameTensors(String what, Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": names");
        for (var e : expected.entrySet()) {
            assertArrayEquals(e.getValue().shape(), actual.get(e.getKey()).shape(), what + ": shape of " + e.getKey());
            assertArrayEquals(e.getValue().toArray(), actual.get(e.getKey()).toArray(), what + ": " + e.getKey());
        }
    }
}
