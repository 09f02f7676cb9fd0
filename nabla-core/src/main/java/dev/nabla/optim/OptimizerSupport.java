package dev.nabla.optim;

import dev.nabla.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Argument checks and state allocation shared by the optimizers. */
final class OptimizerSupport {

    private OptimizerSupport() {
    }

    /**
     * Rejects parameters whose values are not one gap-free run of their array: {@link Optimizer#step()} updates
     * {@code size()} values from {@code offset()}, which would touch the wrong elements of a strided view.
     */
    static void requireContiguous(String owner, List<Tensor> parameters) {
        for (int i = 0; i < parameters.size(); i++) {
            if (!parameters.get(i).isContiguous() || parameters.get(i).offset() != 0) {
                throw new IllegalArgumentException(owner + ": parameter " + i
                        + " is a view into another tensor; optimize the tensor that owns the values instead");
            }
        }
    }

    /** Throws unless {@code value >= 0} (which also rejects NaN). */
    static double nonNegative(String owner, String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    /** Throws unless {@code 0 <= value < 1}, PyTorch's range for Adam's betas. */
    static double unitInterval(String owner, String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be in [0, 1), got " + value);
        }
        return value;
    }

    /** One zero-filled array per parameter, sized like it. */
    static float[][] perParameter(List<Tensor> parameters, float initialValue) {
        float[][] arrays = new float[parameters.size()][];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = new float[parameters.get(i).size()];
            if (initialValue != 0f) Arrays.fill(arrays[i], initialValue);
        }
        return arrays;
    }

    /**
     * One single-element step counter per parameter. PyTorch counts steps per parameter (a parameter without a
     * gradient is not stepped, so its bias corrections lag), and keeps the count as a float32 tensor; so do we,
     * which lets the count travel with the rest of the state.
     */
    static float[][] stepCounters(int count) {
        float[][] steps = new float[count][];
        for (int i = 0; i < count; i++) steps[i] = new float[1];
        return steps;
    }

    /** Adds {@code "<i>.<name>"} entries for every parameter's array. */
    static void register(Map<String, float[]> state, String name, float[][] arrays) {
        for (int i = 0; i < arrays.length; i++) state.put(i + "." + name, arrays[i]);
    }
}
