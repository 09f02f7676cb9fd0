package dev.nabla.data;

import dev.nabla.io.Json;
import dev.nabla.train.Model;

import java.util.List;
import java.util.Map;

/**
 * How data is read for a model, stored in the model file's metadata ({@value #METADATA_KEY}) so that evaluate and
 * predict read it as training did: the kind of input, class names, the feature columns, the image size and pixel
 * range, and, where the loaders scale the data ({@link Standardizer#fit}, and models of format 1), the feature and
 * target standardisation. A model trained by {@code nabla train} now does that scaling itself (a
 * {@link dev.nabla.nn.Normalization} or {@link dev.nabla.nn.Rescaling} layer, {@link Model.TargetScaling}), and its
 * preprocessing holds no statistics: the loaders give it raw values.
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
 * @param pixelMax       images' pixel values run from 0 to this: 1 (the loaders' default, and how models of model
 *                       format 1 took them) or 255 (for a model that rescales them itself, as {@code nabla train}
 *                       makes them now, with a {@link dev.nabla.nn.Rescaling} layer)
 * @param columns        for tables: how each feature column's cells become inputs (imputation, one-hot, hashing),
 *                       fitted on the training rows; null for models saved before it existed, whose features are
 *                       plain numbers without missing cells (and for other data)
 * @param taskReason     why the task was chosen (for tables: from the labels, or as forced); null when unknown
 */
public record Preprocessing(String kind, Task task, List<String> classes, List<String> featureNames, String labelName,
                            float[] featureMean, float[] featureStd, double targetMean, double targetStd,
                            int[] imageShape, int pixelMax, TableColumns columns, String taskReason) {

    /** Where {@code nabla train} keeps a model's preprocessing in its {@link Model#metadata()}. */
    public static final String METADATA_KEY = "preprocessing";

    public Preprocessing {
        if (pixelMax != 1 && pixelMax != 255) throw new IllegalArgumentException("pixel values run to 1 or to 255, not " + pixelMax);
    }

    /** Without column encoders or a reason for the task. */
    public Preprocessing(String kind, Task task, List<String> classes, List<String> featureNames, String labelName,
                         float[] featureMean, float[] featureStd, double targetMean, double targetStd, int[] imageShape,
                         int pixelMax) {
        this(kind, task, classes, featureNames, labelName, featureMean, featureStd, targetMean, targetStd, imageShape,
                pixelMax, null, null);
    }

    /** Pixels (if any) in {@code [0, 1]}. */
    public Preprocessing(String kind, Task task, List<String> classes, List<String> featureNames, String labelName,
                         float[] featureMean, float[] featureStd, double targetMean, double targetStd, int[] imageShape) {
        this(kind, task, classes, featureNames, labelName, featureMean, featureStd, targetMean, targetStd, imageShape, 1);
    }

    /**
     * The preprocessing {@code nabla train} saved with a model: the kind of input, its feature columns or image shape
     * and pixel range, the classes. Read data for the model with it ({@link DataSources#loadWith},
     * {@link ImageFolderLoader#loadFiles}, {@link CsvLoader#loadWith}).
     *
     * @throws IllegalArgumentException when the model has none (it was not trained with {@code nabla train})
     * @throws dev.nabla.io.JsonException when it is not a valid preprocessing
     */
    public static Preprocessing of(Model model) {
        Object saved = model.metadata().get(METADATA_KEY);
        if (saved == null) {
            throw new IllegalArgumentException("the model has no '" + METADATA_KEY + "' metadata (it was not trained with nabla train)");
        }
        return fromMap(Json.asObject(saved, "metadata." + METADATA_KEY));
    }

    /** The same with another label column. */
    public Preprocessing withLabel(String label) {
        return new Preprocessing(kind, task, classes, featureNames, label, featureMean, featureStd, targetMean, targetStd,
                imageShape, pixelMax, columns, taskReason);
    }

    /** The same with the regression target left in its units (mean 0, deviation 1). */
    public Preprocessing withoutTargetScaling() {
        return withStatistics(featureMean, featureStd, 0, 1);
    }

    /** The same with these feature and target statistics. */
    public Preprocessing withStatistics(float[] mean, float[] std, double targetMean, double targetStd) {
        return new Preprocessing(kind, task, classes, featureNames, labelName, mean, std, targetMean, targetStd,
                imageShape, pixelMax, columns, taskReason);
    }

    /** The same with another reason for the task. */
    public Preprocessing withTaskReason(String reason) {
        return new Preprocessing(kind, task, classes, featureNames, labelName, featureMean, featureStd, targetMean, targetStd,
                imageShape, pixelMax, columns, reason);
    }

    /** The same with pixels from 0 to {@code max} (1 or 255). */
    public Preprocessing withPixelMax(int max) {
        return new Preprocessing(kind, task, classes, featureNames, labelName, featureMean, featureStd, targetMean, targetStd,
                imageShape, max, columns, taskReason);
    }

    /**
     * How a table's cells become the model's inputs: the saved column encoders, or, for a table model saved before
     * them, plain numeric columns (missing cells an error). Null for other data.
     */
    public TableColumns tableColumns() {
        if (!"table".equals(kind)) return null;
        return columns != null ? columns : TableColumns.numeric(featureNames);
    }

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
        // a model that scales its target itself (Model.TargetScaling) keeps no statistics here
        if (targetMean != 0 || targetStd != 1) {
            m.put("target_mean", targetMean);
            m.put("target_std", targetStd);
        }
        if (imageShape != null) {
            m.put("image_shape", imageShape);
            m.put("pixel_max", pixelMax);
        }
        if (columns != null) m.put("columns", columns.toMap());
        if (taskReason != null) m.put("task_reason", taskReason);
        return m;
    }

    /** Number of classes (0 for regression). */
    public int numClasses() {
        return classes.size();
    }

    /**
     * Reads back what {@link #toMap} wrote, also after a JSON round trip (numbers as {@code Long}/{@code Double},
     * arrays as lists). A missing, mistyped or inconsistent entry (see {@link PreprocessingChecks}) is a
     * {@link dev.nabla.io.JsonException} naming it.
     */
    public static Preprocessing fromMap(Map<String, Object> m) {
        String kind = Json.asString(m.get("kind"), "preprocessing.kind");
        String taskId = Json.asString(m.get("task"), "preprocessing.task");
        Task task = null;
        for (Task t : Task.values()) if (t.id().equals(taskId)) task = t;
        if (task == null) throw new dev.nabla.io.JsonException("preprocessing.task: unknown task '" + taskId + "'");
        Preprocessing p = new Preprocessing(kind, task, strings(m.get("classes"), "preprocessing.classes"),
                strings(m.getOrDefault("feature_names", List.of()), "preprocessing.feature_names"),
                m.get("label") == null ? null : Json.asString(m.get("label"), "preprocessing.label"),
                floats(m.get("feature_mean"), "preprocessing.feature_mean"),
                floats(m.get("feature_std"), "preprocessing.feature_std"),
                m.containsKey("target_mean") ? Json.asDouble(m.get("target_mean"), "preprocessing.target_mean") : 0,
                m.containsKey("target_std") ? Json.asDouble(m.get("target_std"), "preprocessing.target_std") : 1,
                ints(m.get("image_shape"), "preprocessing.image_shape"),
                // absent in the files of model format 1, whose pixels were in [0, 1]
                m.containsKey("pixel_max") ? pixelMax(m.get("pixel_max")) : 1,
                // absent in models saved before column encoders: their features are plain numbers
                m.get("columns") == null ? null : columns(m.get("columns"), kind,
                        strings(m.getOrDefault("feature_names", List.of()), "preprocessing.feature_names")),
                m.get("task_reason") == null ? null : Json.asString(m.get("task_reason"), "preprocessing.task_reason"));
        PreprocessingChecks.check(p);
        return p;
    }

    private static TableColumns columns(Object v, String kind, List<String> featureNames) {
        if (!"table".equals(kind)) throw new dev.nabla.io.JsonException("preprocessing.columns: only a table has columns, not " + kind + " data");
        TableColumns c = TableColumns.fromMap(Json.asObject(v, "preprocessing.columns"), "preprocessing.columns");
        if (!c.featureColumns().equals(featureNames)) {
            throw new dev.nabla.io.JsonException("preprocessing.columns: its feature columns " + c.featureColumns()
                    + " are not preprocessing.feature_names " + featureNames);
        }
        return c;
    }

    private static int pixelMax(Object v) {
        long max = Json.asLong(v, "preprocessing.pixel_max", 1, 255);
        if (max != 1 && max != 255) throw new dev.nabla.io.JsonException("preprocessing.pixel_max: must be 1 or 255, got " + max);
        return (int) max;
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
