package dev.nabla.cli;

import dev.nabla.metrics.ConfusionMatrix;
import dev.nabla.metrics.F1Score;
import dev.nabla.metrics.Precision;
import dev.nabla.metrics.Recall;
import dev.nabla.metrics.RocAuc;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code nabla evaluate} adds for a classifier: the ROC AUC (binary, or one-vs-rest macro average as
 * scikit-learn's {@code roc_auc_score(multi_class='ovr', average='macro')}), per-class precision, recall, F1 and
 * support (scikit-learn's {@code classification_report(output_dict=True)} entries) and the confusion matrix (rows the
 * true class, columns the predicted one). Everything is computed by the library's metrics from the probabilities that
 * {@link Model#predict} gives, the same ones {@code nabla predict} prints.
 *
 * @param classes      the class names, in the model's order (the order of the matrix's rows and columns)
 * @param auc          the AUC, NaN where it is undefined (a class with no sample, or only one class present)
 * @param aucUndefined why the AUC is undefined, or null
 * @param precision    per class, 0 where nothing was predicted as the class ({@code zero_division=0})
 * @param recall       per class, 0 where the class has no sample
 * @param f1           per class
 * @param support      samples of each class
 * @param matrix       counts {@code [true class][predicted class]}
 */
record ClassificationReport(List<String> classes, double auc, String aucUndefined, double[] precision, double[] recall,
                            double[] f1, long[] support, long[][] matrix) {

    /** The report of {@code model} on samples {@code x} with class labels {@code y}. */
    static ClassificationReport of(Model model, Tensor x, Tensor y) {
        Tensor probabilities = model.predict(x);
        // probabilities: binary scores are thresholded at 0.5, multiclass rows need no softmax
        RocAuc auc = new RocAuc(false);
        ConfusionMatrix cm = new ConfusionMatrix(false);
        Precision precision = new Precision(false);
        Recall recall = new Recall(false);
        F1Score f1 = new F1Score(false);
        auc.update(probabilities, y);
        cm.update(probabilities, y);
        precision.update(probabilities, y);
        recall.update(probabilities, y);
        f1.update(probabilities, y);
        int c = cm.classes();
        List<String> names = names(model.classNames(), c);
        double[] p = new double[c];
        double[] r = new double[c];
        double[] f = new double[c];
        long[] support = new long[c];
        long[][] matrix = new long[c][c];
        for (int k = 0; k < c; k++) {
            p[k] = precision.classScore(k);
            r[k] = recall.classScore(k);
            f[k] = f1.classScore(k);
            for (int j = 0; j < c; j++) {
                matrix[k][j] = cm.count(k, j);
                support[k] += matrix[k][j];
            }
        }
        return new ClassificationReport(names, auc.result(), undefinedWhy(names, support), p, r, f, support, matrix);
    }

    /** The JSON fields: {@code auc} (null where undefined), {@code per_class}, {@code confusion_matrix}. */
    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("auc", Reports.finite(auc));
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int k = 0; k < classes.size(); k++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("precision", precision[k]);
            entry.put("recall", recall[k]);
            entry.put("f1-score", f1[k]);
            entry.put("support", support[k]);
            perClass.put(classes.get(k), entry);
        }
        out.put("per_class", perClass);
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("classes", classes);
        List<Object> rows = new ArrayList<>();
        for (long[] row : matrix) {
            List<Object> counts = new ArrayList<>();
            for (long v : row) counts.add(v);
            rows.add(counts);
        }
        cm.put("matrix", rows);
        out.put("confusion_matrix", cm);
        return out;
    }

    /**
     * For people: the AUC line, a table of precision, recall, F1 and support per class (with the macro and weighted
     * averages, as scikit-learn's classification_report prints them), and the confusion matrix. Class names are
     * escaped ({@link Printable}) and long ones cut to 30 characters.
     */
    void print(PrintStream out) {
        String kind = classes.size() == 2 ? "binary, positive class '" + shown(classes.get(1)) + "'"
                : "one-vs-rest, macro average of " + classes.size() + " classes";
        out.println(Double.isNaN(auc)
                ? "auc: undefined (" + (aucUndefined == null ? "a score is not a number" : aucUndefined) + ")"
                : String.format(Locale.ROOT, "auc: %.4f (%s)", auc, kind));
        int width = "true \\ predicted".length();
        for (String c : classes) width = Math.max(width, shown(c).length());
        out.println();
        out.printf(Locale.ROOT, "%-" + width + "s  %9s  %9s  %9s  %9s%n", "", "precision", "recall", "f1-score", "support");
        long total = 0;
        double[] macro = new double[3];
        double[] weighted = new double[3];
        int present = 0;
        for (int k = 0; k < classes.size(); k++) {
            row(out, width, shown(classes.get(k)), precision[k], recall[k], f1[k], support[k]);
            total += support[k];
            weighted[0] += precision[k] * support[k];
            weighted[1] += recall[k] * support[k];
            weighted[2] += f1[k] * support[k];
            // scikit-learn's macro average: over the classes that occur, as a true or a predicted class
            long predicted = 0;
            for (long[] r : matrix) predicted += r[k];
            if (support[k] + predicted == 0) continue;
            present++;
            macro[0] += precision[k];
            macro[1] += recall[k];
            macro[2] += f1[k];
        }
        if (present > 0) row(out, width, "macro avg", macro[0] / present, macro[1] / present, macro[2] / present, total);
        if (total > 0) row(out, width, "weighted avg", weighted[0] / total, weighted[1] / total, weighted[2] / total, total);
        out.println();
        out.println("confusion matrix (rows: true class, columns: predicted class):");
        int cell = 1;
        for (long[] r : matrix) for (long v : r) cell = Math.max(cell, Long.toString(v).length());
        for (String c : classes) cell = Math.max(cell, shown(c).length());
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", "true \\ predicted"));
        for (String c : classes) header.append(String.format(Locale.ROOT, "  %" + cell + "s", shown(c)));
        out.println(header.toString().stripTrailing());
        for (int k = 0; k < classes.size(); k++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", shown(classes.get(k))));
            for (long v : matrix[k]) line.append(String.format(Locale.ROOT, "  %" + cell + "d", v));
            out.println(line);
        }
    }

    private static void row(PrintStream out, int width, String name, double p, double r, double f, long support) {
        out.printf(Locale.ROOT, "%-" + width + "s  %9.4f  %9.4f  %9.4f  %9d%n", name, p, r, f, support);
    }

    private static String shown(String name) {
        String s = Printable.of(name);
        return s.length() > 30 ? s.substring(0, 27) + "..." : s;
    }

    /** The class names, or the indices where the model has none (or fewer than its outputs). */
    private static List<String> names(List<String> modelNames, int classes) {
        if (modelNames != null && modelNames.size() == classes) return List.copyOf(modelNames);
        List<String> out = new ArrayList<>();
        for (int k = 0; k < classes; k++) out.add(Integer.toString(k));
        return out;
    }

    private static String undefinedWhy(List<String> classes, long[] support) {
        long total = 0;
        for (long s : support) total += s;
        for (int k = 0; k < support.length; k++) {
            if (support[k] == 0) return "class '" + Printable.of(classes.get(k)) + "' has no sample in the data";
            if (support[k] == total) return "every sample is of class '" + Printable.of(classes.get(k)) + "'";
        }
        return null;
    }
}
