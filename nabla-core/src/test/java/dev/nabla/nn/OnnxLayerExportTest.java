package dev.nabla.nn;

import dev.nabla.onnx.LayerTranslations;
import dev.nabla.onnx.OnnxExport;
import dev.nabla.onnx.OnnxExportException;
import dev.nabla.onnx.OnnxRuntimeCheck;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.LayerCase;
import dev.nabla.train.Model;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every line of the layer harness ({@link LayerCases}) exported to ONNX and run in ONNX Runtime: a layer type with a
 * translation must give {@code Model.predict}'s outputs within 1e-5, one without must fail naming the layer.
 */
class OnnxLayerExportTest {

    static final double TOLERANCE = 1e-5;

    /** Settings the harness reaches only with initial states, which the export refuses: stacked passes both ways. */
    static final List<LayerCase> EXTRA = List.of(
            LayerCase.of("gru:2:bi:num_layers=2:return_sequences=true").input(3, 2),
            LayerCase.of("simplernn:2:bi:num_layers=2").input(4, 2),
            LayerCase.of("lstm:3:bi:num_layers=3").input(5, 2));

    @TestFactory
    List<DynamicTest> everyHarnessLayer() {
        List<DynamicTest> tests = new ArrayList<>();
        List<LayerCase> cases = new ArrayList<>(LayerCases.ALL);
        cases.addAll(EXTRA);
        for (LayerCase c : cases) {
            tests.add(DynamicTest.dynamicTest(c.token(), () -> check(c)));
        }
        return tests;
    }

    private static void check(LayerCase c) throws Exception {
        LayerCase.Built built = c.build(7);
        perturb(built.network(), 11);
        Model model = new Model(built.network());
        Tensor[] x = c.inputs(5, 3);
        if (refused(c)) {
            OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxExport.toBytes(model));
            assertTrue(e.getMessage().contains("(" + c.type() + ")") && e.getMessage().contains("cannot be exported"), e.getMessage());
            return;
        }
        Map<String, Tensor> feed = new LinkedHashMap<>();
        Tensor expected;
        if (x.length == 1) {
            feed.put(OnnxExport.INPUT, x[0]);
            expected = model.predict(x[0]);
        } else {
            for (int i = 0; i < x.length; i++) feed.put("in" + i, x[i]);
            expected = model.predict(feed);
        }
        float[] actual = OnnxRuntimeCheck.run(OnnxExport.toBytes(model), feed);
        double diff = OnnxRuntimeCheck.maxDifference(expected.contiguous().toArray(), actual);
        System.out.printf("onnx %-60s max difference %.3g%n", c.token(), diff);
        assertTrue(diff <= TOLERANCE, c.token() + ": ONNX Runtime differs from predict by " + diff);
    }

    /**
     * The lines the export must refuse: types without a translation, and settings a translation refuses (an
     * embedding's padding mask, a recurrent layer's initial states as inputs).
     */
    private static boolean refused(LayerCase c) {
        boolean recurrent = List.of("lstm", "gru", "simplernn").contains(c.type());
        return LayerTranslations.find(c.type()) == null || c.token().contains("padding_index")
                || recurrent && c.inputShapes().size() > 1;
    }

    /** Trained-looking state: every weight moved off its initial value, buffers (statistics) positive and varied. */
    static void perturb(Module network, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Tensor p : network.namedParameters().values()) {
            float[] d = p.data();
            for (int i = 0; i < d.length; i++) d[i] += (float) rng.nextDouble(-0.3, 0.3);
        }
        for (Tensor b : network.namedBuffers().values()) {
            float[] d = b.data();
            for (int i = 0; i < d.length; i++) d[i] = (float) rng.nextDouble(0.5, 1.5);
        }
    }

    @Test
    void aGraphsOutputsKeepTheirNamesEvenWhereNodesWouldTakeThem() throws Exception {
        Node a = Graph.input("a", 3);
        Node b = Graph.input("b", 3);
        Node sum = new Add().on(a, b);
        Map<String, Node> outputs = new LinkedHashMap<>();
        outputs.put("sum", sum);
        outputs.put("matmul", new Dense(2).on(sum));
        Graph graph = new Graph(List.of(a, b), outputs);
        graph.build();
        byte[] onnx = OnnxExport.toBytes(new Model(graph));
        assertEquals(java.util.Set.of("sum", "matmul"), OnnxRuntimeCheck.outputNames(onnx));
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor y = Tensor.of(new float[]{0.5f, -1, 2, 0, 1, -3}, 2, 3);
        float[] first = OnnxRuntimeCheck.run(onnx, Map.of("a", x, "b", y));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[]{1.5f, 1, 5, 4, 6, 3}, first);
    }

    @Test
    void aLayerWithoutTranslationIsNamed() {
        Layer attention = Layers.fromToken("masking", "test").named("encoder");
        Model model = new Model(new Sequential(new Dense(4), attention).build(2, 3));
        OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxExport.toBytes(model));
        assertTrue(e.getMessage().startsWith("layer 'encoder' (masking) cannot be exported to ONNX"), e.getMessage());
    }
}
