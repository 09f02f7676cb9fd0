package dev.nabla.data;

import dev.nabla.io.Json;

import java.util.List;
import java.util.Map;

/**
 * What turns raw input into what the model saw during training, stored in the model file so that evaluate and
 * predict apply exactly the same steps: the kind of input, class names, feature standardisation (fitted on the
 * training split), target standardisation for regression, and the image size.
 *
 * @param kind           {@code "table"}, {@code "image"} or {@code "idx"}
 * @param task           classification or regression
 * @param classes        class names in label order (empty for regression)
 * @param featureNames   CSV column names of the features, in order (empty for images)
 * @param labelName      the CSV label column (null for images)
 * @param featureMean    per-feature mean subtracted before the model (null: no standardisation)
 * @param featureStd     per-feature deviation divided by (null: no standardisation)
 * @param targetMean     regression target mean (0 when not standardised)
 * @param targetStd      regression target deviation (1 when not standardised)
 * @param imageShape     {@code [channels, height, width]} for images (null for tables)
 */
public record Preprocessing(String kind, Task task, List<String> classes, List<String> featureNames, String labelName,
                            float[] featureMean, float[] featureStd, double targetMean, double targetStd,
                            int[] imageShape) {

    /** A JSON-friendly map (strings, numbers, lists) for the model file's metadata. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("kind", kind);
        m.put("task", task.id());
        m.put("classes", classes);
        m.put("feature_names", featureNames);
        if (labelName != null) m.put("label", labelName);
        if (featureMean != null) m.put("feature_mean", featureMean);
        if (featureStd != null) m.put("feature_std", featureStd);
        m.put("target_mean", targetMean);
        m.put("target_std", targetStd);
        if (imageShape != null) m.put("image_shape", imageShape);
        return m;
    }

    /** Number of classes (0 for regression). */
    public int numClasses() {
        return classes.size();
    }

    /**
     * Reads back what {@link #toMap} wrote, also after a JSON round trip (numbers as {@code Long}/{@code Double},
     * arrays as lists). A missing or mistyped entry is a {@link dev.nabla.io.JsonException} naming it.
     */
    public static Preprocessing fromMap(Map<String, Object> m) {
        String kind = Json.asString(m.get("kind"), "preprocessing.kind");
        String taskId = Json.asString(m.get("task"), "preprocessing.task");
        Task task = null;
        for (Task t : Task.values()) if (t.id().equals(taskId)) task = t;
        if (task == null) throw new dev.nabla.io.JsonException("preprocessing.task: unknown task '" + taskId + "'");
        return new Preprocessing(kind, task, strings(m.get("classes"), "preprocessing.classes"),
                strings(m.getOrDefault("feature_names", List.of()), "preprocessing.feature_names"),
                m.get("label") == null ? null : Json.asString(m.get("label"), "preprocessing.label"),
                floats(m.get("feature_mean"), "preprocessing.feature_mean"),
                floats(m.get("feature_std"), "preprocessing.feature_std"),
                m.containsKey("target_mean") ? Json.asDouble(m.get("target_mean"), "preprocessing.target_mean") : 0,
                m.containsKey("target_std") ? Json.asDouble(m.get("target_std"), "preprocessing.target_std") : 1,
                ints(m.get("image_shape"), "preprocessing.image_shape"));
    }

    private static List<String> strings(Object v, String what) {
        if (v instanceof String[] a) return List.of(a);
        List<String> out = new java.util.ArrayList<>();
        List<Object> list = Json.asArray(v, what);
        for (int i = 0; i < list.size(); i++) out.add(Json.asString(list.get(i), what + "[" + i + "]"));
        return List.copyOf(out);
    }

    private static float[] floats(Object v, String what) {
        if (v == null) return null;
        if (v instanceof float[] a) return a.clone();
        if (v instanceof double[] a) {
            float[] f = new float[a.length];
            for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
            return f;
        }
        List<Object> list = Json.asArray(v, what);
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) Json.asDouble(list.get(i), what + "[" + i + "]");
        return f;
    }

    private static int[] ints(Object v, String what) {
        if (v == null) return null;
        if (v instanceof int[] a) return a.clone();
        List<Object> list = Json.asArray(v, what);
        int[] r = new int[list.size()];
        for (int i = 0; i < r.length; i++) r[i] = (int) Json.asLong(list.get(i), what + "[" + i + "]", 1, Integer.MAX_VALUE);
        return r;
    }
}
