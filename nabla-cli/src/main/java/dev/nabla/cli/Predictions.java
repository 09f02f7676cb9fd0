package dev.nabla.cli;

import dev.nabla.data.Task;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Predictions of a trained model as predict and demo show them: class probabilities, or values in the target's units. */
final class Predictions {

    /** One sample's prediction: classes with probabilities (most likely first), or a value for regression. */
    record Prediction(Object input, List<Map.Entry<String, Double>> ranked, Double value) {
        String label() {
            return ranked.isEmpty() ? null : ranked.get(0).getKey();
        }
    }

    private Predictions() {
    }

    /**
     * What the model predicts for {@code x}: values in the target's units for regression (the model scales its
     * target), else the classes of {@link Model#classNames} ranked by probability.
     */
    static List<Prediction> predict(Model model, Tensor x, List<Object> names, Task task) {
        return fromOutput(model, model.predict(x), names, task);
    }

    /** {@link #predict} from the model's outputs {@code out} for {@code names.size()} samples. */
    static List<Prediction> fromOutput(Model model, Tensor out, List<Object> names, Task task) {
        int n = names.size();
        List<Prediction> result = new ArrayList<>(n);
        if (task == Task.REGRESSION) {
            float[] values = out.toArray();
            for (int i = 0; i < n; i++) result.add(new Prediction(names.get(i), List.of(), (double) values[i]));
            return result;
        }
        List<String> classes = model.classNames();
        float[] v = out.toArray();
        boolean binary = out.rank() == 1 || out.shape(-1) == 1;
        int c = binary ? 1 : out.shape(-1);
        if (!binary && c != classes.size()) {
            throw new IllegalStateException("the model gives " + c + " outputs for " + classes.size() + " classes");
        }
        for (int i = 0; i < n; i++) {
            List<Map.Entry<String, Double>> ranked = new ArrayList<>();
            if (binary) {
                double p1 = v[i];
                ranked.add(Map.entry(classes.get(1), p1));
                ranked.add(Map.entry(classes.get(0), 1 - p1));
            } else {
                for (int k = 0; k < c; k++) ranked.add(Map.entry(classes.get(k), (double) v[i * c + k]));
            }
            // most likely first; ties keep the class order
            ranked.sort(Comparator.comparingDouble((Map.Entry<String, Double> e) -> e.getValue()).reversed());
            result.add(new Prediction(names.get(i), List.copyOf(ranked), null));
        }
        return result;
    }

    /** JSON entries: {@code {"input", "label", "probabilities"}} (the top {@code top} classes; all when 0) or {@code {"input", "value"}}. */
    static List<Object> json(List<Prediction> predictions, int top) {
        List<Object> out = new ArrayList<>();
        for (Prediction pr : predictions) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input", pr.input() instanceof DataAccess.LiteralText t ? t.text() : pr.input());
            if (pr.value() != null) {
                m.put("value", Reports.finite(pr.value()));
            } else {
                m.put("label", pr.label());
                Map<String, Object> probabilities = new LinkedHashMap<>();
                List<Map.Entry<String, Double>> shown = top > 0 ? pr.ranked().subList(0, Math.min(top, pr.ranked().size())) : pr.ranked();
                for (var e : shown) probabilities.put(e.getKey(), Reports.finite(e.getValue()));
                m.put("probabilities", probabilities);
            }
            out.add(m);
        }
        return out;
    }

    /** Lines like {@code photo.png  cat  75.0%   dog  25.0%}, most likely first, {@code top} classes. */
    static void print(PrintStream out, List<Prediction> predictions, int top) {
        int width = 0;
        for (Prediction pr : predictions) width = Math.max(width, name(pr.input()).length());
        width = Math.min(width, 60);
        for (Prediction pr : predictions) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", name(pr.input())));
            if (pr.value() != null) {
                sb.append("  ").append(Reports.number(pr.value()));
            } else {
                int shown = Math.min(top, pr.ranked().size());
                for (int k = 0; k < shown; k++) {
                    var e = pr.ranked().get(k);
                    sb.append(k == 0 ? "  " : "   ").append(Printable.of(e.getKey()))
                            .append(String.format(Locale.ROOT, " %5.1f%%", 100 * e.getValue()));
                }
            }
            out.println(sb);
        }
    }

    private static String name(Object input) {
        if (input instanceof DataAccess.LiteralText t) {
            String one = t.text().strip().replaceAll("\\s+", " ");
            return "\"" + Printable.of(one.length() > 40 ? one.substring(0, 37) + "..." : one) + "\"";
        }
        return input instanceof Integer row ? "row " + row : Printable.of(String.valueOf(input));
    }
}
