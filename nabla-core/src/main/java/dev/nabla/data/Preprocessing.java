package dev.nabla.data;

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
}
