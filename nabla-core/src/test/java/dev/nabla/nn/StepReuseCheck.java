package dev.nabla.nn;

import dev.nabla.optim.Sgd;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.GradCheck;
import dev.nabla.testing.LayerCase;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The layer harness's check of {@link StepArena}: three training steps whose arrays come from the steps before
 * them, with every released array filled with NaN, must give exactly the losses and weights of three steps on fresh
 * arrays. A layer that kept an op's output past its step (a cached mask, a carried state) would read NaN, or another
 * step's numbers, and differ.
 */
final class StepReuseCheck {

    private static final int STEPS = 3;

    private StepReuseCheck() {
    }

    static void stepsOnReusedArraysMatchFreshOnes(LayerCase c, long seed, long stepSeed, int batch) {
        List<float[]> fresh;
        StepArena.reuse(false);
        try {
            fresh = train(c, seed, stepSeed, batch);
        } finally {
            StepArena.reuse(true);
        }
        StepArena.poisonReleased(true);
        List<float[]> reused;
        try {
            reused = train(c, seed, stepSeed, batch);
        } finally {
            StepArena.poisonReleased(false);
        }
        assertEquals(fresh.size(), reused.size());
        for (int i = 0; i < fresh.size(); i++) {
            assertArrayEquals(fresh.get(i), reused.get(i), c + ": " + (i < STEPS ? "loss of step " + (i + 1)
                    : "parameter " + (i - STEPS)) + " differs when steps reuse the arrays of the steps before");
        }
    }

    /** The loss of each step, then every parameter after the last one. */
    private static List<float[]> train(LayerCase c, long seed, long stepSeed, int batch) {
        Module network = c.build(seed).network();
        network.train(true);
        Tensor[] x = c.inputs(seed, batch);
        Tensor target = GradCheck.uniform(5, -1, 1, withBatch(network.outputShape(c.inputShapes()), batch));
        Sgd sgd = new Sgd(network.parameters(), 0.05f);
        List<float[]> out = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            sgd.zeroGrad();
            network.seedTrainingStep(stepSeed + step);
            try (var scope = StepArena.open()) {
                Tensor loss = network.forward(List.of(x)).sub(target).square().mean();
                out.add(new float[]{loss.item()});
                loss.backward();
            }
            sgd.step();
        }
        for (Tensor p : network.parameters()) out.add(p.toArray());
        return out;
    }

    private static int[] withBatch(int[] shape, int batch) {
        int[] s = new int[shape.length + 1];
        s[0] = batch;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }
}
