package dev.nabla.text;

import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;

import java.util.List;

/**
 * Predictions of a text model straight from texts: the model's own {@link Model#tokenizer()} (saved in its file)
 * encodes them exactly as in training, so {@code TextModels.predict(Model.load(file), texts)} needs no other steps.
 */
public final class TextModels {

    private TextModels() {
    }

    /** The model's tokenizer; an IllegalArgumentException when the model has none (it was not trained on text). */
    public static Tokenizer tokenizer(Model model) {
        Tokenizer t = model.tokenizer();
        if (t == null) throw new IllegalArgumentException("the model has no tokenizer (it was not trained on text)");
        return t;
    }

    /** {@code [N, classes]} probabilities (or the model's outputs) for {@code texts}, encoded by the model's tokenizer. */
    public static Tensor predict(Model model, List<String> texts) {
        if (texts.isEmpty()) throw new IllegalArgumentException("predict: no texts");
        return model.predict(tokenizer(model).encode(texts));
    }
}
