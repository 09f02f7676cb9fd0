package dev.nabla.data;

import dev.nabla.tensor.Tensor;
import dev.nabla.text.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Texts read from files or a CSV column, before tokenisation: the texts, their class numbers ({@code labels}, null
 * when not read), where each came from ({@code sources}: a file path, or {@code "row N"}), and the
 * {@link Preprocessing} of kind {@code "text"} (classes, the CSV text and label columns). {@link #encode} turns them
 * into a model's input with a {@link Tokenizer} trained on the training texts only.
 */
public record TextSamples(List<String> texts, int[] labels, List<String> sources, Preprocessing preprocessing) {

    public TextSamples {
        texts = List.copyOf(texts);
        sources = List.copyOf(sources);
        if (labels != null && labels.length != texts.size() || sources.size() != texts.size()) {
            throw new IllegalArgumentException("texts, labels and sources differ in number");
        }
        labels = labels == null ? null : labels.clone();
    }

    public int size() {
        return texts.size();
    }

    /** The given samples, in that order. */
    public TextSamples select(int[] samples) {
        List<String> t = new ArrayList<>(samples.length);
        List<String> s = new ArrayList<>(samples.length);
        int[] l = labels == null ? null : new int[samples.length];
        for (int i = 0; i < samples.length; i++) {
            t.add(texts.get(samples[i]));
            s.add(sources.get(samples[i]));
            if (l != null) l[i] = labels[samples[i]];
        }
        return new TextSamples(t, l, s, preprocessing);
    }

    /** {@code x} = {@code [N, tokenizer.maxLength()]} token ids, {@code y} = {@code [N]} class numbers (or null). */
    public LoadedData encode(Tokenizer tokenizer) {
        Tensor y = null;
        if (labels != null) {
            float[] v = new float[labels.length];
            for (int i = 0; i < v.length; i++) v[i] = labels[i];
            y = Tensor.wrap(v, v.length);
        }
        return new LoadedData(tokenizer.encode(texts), y, preprocessing);
    }
}
