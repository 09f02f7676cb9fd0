package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import dev.nabla.testing.GradCheck;
import dev.nabla.testing.LayerCase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The layer harness's padding check, for lines marked {@code masked(...)}: the named sequence inputs get
 * {@value #EXTRA} more steps of junk, marked as padding by a mask, and the layer must give the same output for the
 * real steps (or the same vector, for a layer that reads the whole sequence), the same parameter gradients, the same
 * input gradients on the real steps and none on the padded ones; an output that keeps the time axis keeps the mask.
 */
final class PaddingCheck {

    private static final int EXTRA = 2;
    /** Far from the inputs' ±[0.1, 1): a padded step that leaked in would show. */
    private static final float JUNK = 5f;
    private static final float TOLERANCE = 2e-5f;

    private PaddingCheck() {
    }

    static void paddingChangesNothing(LayerCase c, long seed, int batch) {
        Module network = c.build(seed).network();
        network.train(false);
        Tensor[] plain = c.inputs(seed, batch);
        Tensor[] padded = new Tensor[plain.length];
        Tensor[] masks = new Tensor[plain.length];
        for (int i = 0; i < plain.length; i++) padded[i] = plain[i];
        for (int i : c.maskedInputs()) {
            padded[i] = pad(plain[i]);
            masks[i] = mask(batch, plain[i].shape(1));
        }
        Result reference = run(network, plain, null, null, seed);
        Result withPadding = run(network, padded, masks, reference.upstream, seed);

        Tensor out = withPadding.output;
        boolean sequenceOut = out.rank() == reference.output.rank() && out.rank() >= 2
                && out.shape(1) == reference.output.shape(1) + EXTRA && c.maskedInputs()[0] == 0;
        Tensor real = sequenceOut ? out.narrow(1, 0, reference.output.shape(1)).contiguous() : out;
        assertArrayEquals(reference.output.toArray(), real.toArray(), TOLERANCE, c + ": padding changed the output");
        if (sequenceOut) {
            assertNotNull(out.mask(), c + ": a sequence output must keep the padding mask");
            assertArrayEquals(masks[0].toArray(), out.mask().toArray(), c + ": the output's mask");
        }
        for (var e : reference.parameterGrads.entrySet()) {
            assertArrayEquals(e.getValue(), withPadding.parameterGrads.get(e.getKey()), TOLERANCE,
                    c + ": padding changed the gradient of " + e.getKey());
        }
        for (int i = 0; i < plain.length; i++) {
            Tensor g = withPadding.inputGrads[i];
            if (masks[i] == null) {
                assertArrayEquals(reference.inputGrads[i].toArray(), g.toArray(), TOLERANCE, c + ": gradient of input " + i);
                continue;
            }
            int steps = plain[i].shape(1);
            assertArrayEquals(reference.inputGrads[i].toArray(), g.narrow(1, 0, steps).contiguous().toArray(), TOLERANCE,
                    c + ": padding changed the gradient of input " + i);
            for (float v : g.narrow(1, steps, EXTRA).contiguous().toArray()) {
                if (v != 0f) fail(c + ": a padded step of input " + i + " got a gradient (" + v + ")");
            }
        }
    }

    private record Result(Tensor output, Tensor upstream, Map<String, float[]> parameterGrads, Tensor[] inputGrads) {
    }

    /**
     * Output, parameter and input gradients of {@code sum(output * g)}: g drawn from the seed for the reference run,
     * the reference's g for the padded run (zeros on padded output steps).
     */
    private static Result run(Module network, Tensor[] inputs, Tensor[] masks, Tensor reference, long seed) {
        network.zeroGrad();
        List<Tensor> given = new ArrayList<>();
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = inputs[i].detach().requiresGrad(true);
            given.add(masks != null && masks[i] != null ? leaves[i].withMask(masks[i]) : leaves[i]);
        }
        Tensor out = network.forward(given);
        Tensor g = reference == null ? GradCheck.uniform(seed + 7, -1, 1, out.shape()) : reference;
        if (reference != null && out.shape(1) != reference.shape(1)) {
            int[] extra = out.shape();
            extra[1] -= reference.shape(1);
            g = Tensor.concat(1, reference, Tensor.zeros(extra));
        }
        out.mul(g).sum().backward();
        Map<String, float[]> grads = new java.util.TreeMap<>();
        for (var e : network.namedParameters().entrySet()) {
            Tensor grad = e.getValue().grad();
            grads.put(e.getKey(), grad == null ? new float[e.getValue().size()] : grad.toArray());
        }
        Tensor[] inputGrads = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            inputGrads[i] = leaves[i].grad() == null ? Tensor.zeros(inputs[i].shape()) : leaves[i].grad();
        }
        return new Result(out.detach().withMask(out.mask()), g, grads, inputGrads);
    }

    private static Tensor pad(Tensor x) {
        int[] shape = x.shape();
        shape[1] = EXTRA;
        return Tensor.concat(1, x, Tensor.full(JUNK, shape));
    }

    private static Tensor mask(int batch, int steps) {
        float[] m = new float[batch * (steps + EXTRA)];
        for (int b = 0; b < batch; b++) java.util.Arrays.fill(m, b * (steps + EXTRA), b * (steps + EXTRA) + steps, 1f);
        return Tensor.wrap(m, batch, steps + EXTRA);
    }
}
