package dev.nabla.bench;

import dev.nabla.nn.Dense;
import dev.nabla.nn.Graph;
import dev.nabla.nn.Node;
import dev.nabla.nn.PReLU;
import dev.nabla.nn.Sequential;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FLOP counts of the benchmark's networks, against counts made by hand from their recipes. */
class FlopCountTest {

    @Test
    void mlpCountsItsThreeProducts() {
        Sequential net = TrainingWorkload.mlpNetwork().seed(1).build(784);
        long forward = 784 * 256 + 256 * 128 + 128 * 10;            // 234,752 multiply-adds
        assertEquals(234_752, forward);
        assertEquals(2 * forward, FlopCount.inferenceFlops(net, 784));
        // backward: the weight gradients of all three, the input gradients of the last two (not of the images)
        long backward = 2 * forward - 784 * 256;
        assertEquals(2 * (forward + backward), FlopCount.trainingFlops(net, 784));
        assertEquals(1_007_104, FlopCount.trainingFlops(net, 784));
    }

    @Test
    void cnnCountsConvolutionsAtEveryOutputPosition() {
        Sequential net = TrainingWorkload.cnnNetwork().seed(1).build(1, 28, 28);
        long conv1 = 26 * 26 * 32 * (1 * 3 * 3);                     // 28 -> 26, then pooled to 13
        long conv2 = 11 * 11 * 64 * (32 * 3 * 3);                    // 13 -> 11, then pooled to 5
        long dense1 = 64 * 5 * 5 * 128;
        long dense2 = 128 * 10;
        long forward = conv1 + conv2 + dense1 + dense2;
        assertEquals(2_631_040, forward);
        assertEquals(2 * forward, FlopCount.inferenceFlops(net, 1, 28, 28));
        // the first convolution reads the images: no input gradient there (pooling and ReLU have no parameters)
        assertEquals(2 * (3 * forward - conv1), FlopCount.trainingFlops(net, 1, 28, 28));
        assertEquals(15_396_864, FlopCount.trainingFlops(net, 1, 28, 28));
    }

    @Test
    void lstmCountsEveryStepsTwoProducts() {
        Graph net = LstmWorkload.network().build();
        long input = 28L * (4 * 128) * 28;                           // 28 steps of [28] x [28, 512]
        long state = 28L * (4 * 128) * 128;                          // 28 steps of [128] x [128, 512]
        long forward = input + state + 128 * 10;
        assertEquals(2 * forward, FlopCount.inferenceFlops(net, 28, 28));
        assertEquals(2 * (3 * forward - input), FlopCount.trainingFlops(net, 28, 28));
    }

    @Test
    void vitCountsProjectionsScoresAndWeightedValues() {
        Sequential net = VitWorkload.network().seed(1).build(16, 49);
        long embed = 16L * 49 * 64;
        long projections = 4L * 16 * 64 * 64;                        // query, key, value, output
        long attention = 2L * 16 * 16 * 64;                          // QK^T and AV over the 4 heads of 16
        long feedForward = 2L * 16 * 64 * 128;
        long forward = embed + 2 * (projections + attention + feedForward) + 64 * 10;
        assertEquals(2 * forward, FlopCount.inferenceFlops(net, 16, 49));
        assertEquals(2 * (3 * forward - embed), FlopCount.trainingFlops(net, 16, 49));
    }

    @Test
    void resnetCountsEveryConvolutionOfTheGraph() {
        Graph net = ResNetWorkload.network().build();
        long stem = 28L * 28 * 32 * 9;
        long at32 = 28L * 28 * 32 * 32 * 9;                          // two blocks of two convolutions
        long widen = 14L * 14 * 64 * 32 * 9;
        long at64 = 14L * 14 * 64 * 64 * 9;                          // one block of two
        long forward = stem + 4 * at32 + widen + 2 * at64 + 64 * 10;
        assertEquals(2 * forward, FlopCount.inferenceFlops(net, 1, 28, 28));
        assertEquals(2 * (3 * forward - stem), FlopCount.trainingFlops(net, 1, 28, 28));
    }

    @Test
    void aLayerWithWeightsAndNoRuleIsRefusedNotCountedAsFree() {
        Node x = Graph.input("x", 8);
        Graph net = Graph.of(x, new Dense(4).on(new PReLU().named("prelu").on(x))).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlopCount.trainingFlops(net, 8));
        assertTrue(e.getMessage().contains("FlopCount.RULES"), e.getMessage());
    }

    @Test
    void peakIsAssumedPerCoreFromTheEnvironmentOrTheDefault() {
        assertEquals(179.0, Peak.assumption(null).perCore());
        assertTrue(Peak.assumption(null).source().contains("not measured"));
        assertEquals(64.5, Peak.assumption(" 64.5 ").perCore());
        assertTrue(Peak.assumption("64.5").source().contains(Peak.ENV));
        assertThrows(IllegalArgumentException.class, () -> Peak.assumption("fast"));
        assertThrows(IllegalArgumentException.class, () -> Peak.assumption("-3"));
        // 1000 samples/s of 1e6 FLOPs on 2 threads of 179: 1 GFLOP/s, 1 / 358 of the peak
        ResultLine line = Peak.addTo(new ResultLine(), 1_000_000, 1000, 2);
        assertEquals(1.0, line.fields().get("gflops"));
        assertEquals(358.0, line.fields().get("peak_gflops"));
        assertEquals(Timing.round(1 / 358.0, 4), line.fields().get("fraction_of_peak"));
    }
}
