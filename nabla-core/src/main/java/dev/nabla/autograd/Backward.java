package dev.nabla.autograd;

import dev.nabla.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation over the recorded graph: visits ops from the output back to the leaves, in reverse
 * topological order, and accumulates each leaf's gradient into {@link Tensor#grad()}. The graph is released as it
 * goes, so its intermediate buffers can be reclaimed and memory stays flat from step to step.
 */
public final class Backward {

    private Backward() {
    }

    /** Backpropagates {@code seed} (the gradient of the loss with respect to {@code root}) through the graph. */
    public static void run(Tensor root, Tensor seed) {
        Function rootFn = root.gradFn();
        if (rootFn == null) {
            if (!root.isLeaf()) {
                throw new IllegalStateException("backward: the graph behind this tensor was already used by an earlier "
                        + "backward() and released; run the forward pass again");
            }
            if (root.requiresGrad()) root.accumulateGrad(seed);
            return;
        }
        List<Function> order = reverseTopologicalOrder(rootFn);
        // rootFn is released at the end of the pass, so a stale graph cannot be walked twice
        try (var ignored = GradMode.noGrad()) {
            rootFn.accumulate(seed);
            for (Function fn : order) {
                Tensor gradOutput = fn.takePendingGrad();
                Tensor[] inputs = fn.inputs();
                if (gradOutput != null && inputs != null) {
                    Tensor[] grads = fn.backward(gradOutput);
                    for (int i = 0; i < inputs.length; i++) {
                        Tensor input = inputs[i];
                        Tensor g = grads[i];
                        if (input == null || g == null || !input.requiresGrad()) continue;
                        if (!java.util.Arrays.equals(g.shape(), input.shape())) {
                            throw new IllegalStateException(fn.name() + ".backward returned a gradient of shape "
                                    + java.util.Arrays.toString(g.shape()) + " for an input of shape "
                                    + java.util.Arrays.toString(input.shape()));
                        }
                        Function producer = input.gradFn();
                        if (producer != null) producer.accumulate(g);
                        else if (input.isLeaf()) input.accumulateGrad(g);
                    }
                }
                fn.release();
            }
        } finally {
            for (Function fn : order) fn.release();
        }
    }

    /** Functions reachable from {@code root}, each after every function that consumes its output. */
    private static List<Function> reverseTopologicalOrder(Function root) {
        Map<Function, Boolean> visited = new IdentityHashMap<>();
        List<Function> postOrder = new ArrayList<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[]{root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Function fn = (Function) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = fn.inputs();
            if (inputs != null && next < inputs.length) {
                frame[1] = next + 1;
                Tensor input = inputs[next];
                Function producer = input == null ? null : input.gradFn();
                if (producer != null && visited.put(producer, Boolean.TRUE) == null) {
                    stack.push(new Object[]{producer, 0});
                }
            } else {
                stack.pop();
                postOrder.add(fn);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
