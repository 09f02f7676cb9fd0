package dev.nabla.train;

import dev.nabla.tensor.Tensor;

/** The class {@link Model#predictClasses} picks from a model's predictions. */
final class ClassPredictions {

    private ClassPredictions() {
    }

    /** The argmax of each row; for one output column (a sigmoid), 1 where the probability is at least 0.5. */
    static int[] of(Tensor p) {
        int n = p.shape(0);
        int[] classes = new int[n];
        if (p.rank() == 1 || p.shape(-1) == 1) {
            float[] v = p.toArray();
            for (int i = 0; i < n; i++) classes[i] = v[i] >= 0.5f ? 1 : 0;
        } else {
            float[] v = p.argmax(-1, false).toArray();
            for (int i = 0; i < n; i++) classes[i] = (int) v[i];
        }
        return classes;
    }
}
