package dev.nabla.data;

import dev.nabla.tensor.Tensor;

/**
 * Samples ready for a model: inputs {@code x} ({@code [N, features]} for tables, {@code [N, C, H, W]} for images),
 * targets {@code y} ({@code [N]} class numbers for classification, {@code [N, 1]} values for regression, standardised
 * where the {@link Preprocessing} holds target statistics), and the {@link Preprocessing} that produced them.
 */
public record LoadedData(Tensor x, Tensor y, Preprocessing preprocessing) {

    public int size() {
        return x.shape(0);
    }
}
