package dev.nabla.nn;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/** A layer of two or more inputs of the same shape combined element by element ({@link Add}, {@link Multiply}). */
public abstract class Merge extends Layer {

    @Override
    public final int[] outputShape(int[] inputShape) {
        throw new ShapeException(describe() + ": needs at least two inputs, got one");
    }

    @Override
    public int[] outputShape(List<int[]> inputShapes) {
        if (inputShapes.size() < 2) throw new ShapeException(describe() + ": needs at least two inputs, got " + inputShapes.size());
        int[] first = inputShapes.get(0);
        for (int i = 1; i < inputShapes.size(); i++) {
            if (!Arrays.equals(first, inputShapes.get(i))) {
                throw new ShapeException(describe() + ": inputs must have the same shape, got " + Shape.str(first) + " and "
                        + Shape.str(inputShapes.get(i)) + " (input " + (i + 1) + ")");
            }
        }
        return first.clone();
    }

    @Override
    protected final Tensor call(Tensor x) {
        throw new ShapeException(describe() + ": needs at least two inputs, got one");
    }

    @Override
    protected Tensor call(List<Tensor> inputs) {
        Tensor out = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) out = combine(out, inputs.get(i));
        return out;
    }

    /** Element by element, so a step is real where it is real in every input that has a mask. */
    @Override
    protected Tensor outputMask(List<Tensor> inputs, List<Tensor> inputMasks) {
        return Masks.and(inputMasks);
    }

    /** Two inputs combined. */
    protected abstract Tensor combine(Tensor a, Tensor b);
}
