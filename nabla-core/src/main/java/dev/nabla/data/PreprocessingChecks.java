package dev.nabla.data;

import dev.nabla.io.JsonException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a saved {@link Preprocessing} must hold to be used, checked when a model file is read so that a damaged or
 * hand-edited file is refused naming the field instead of failing later in the middle of a prediction: a
 * classification has classes, each once; statistics come in pairs, one per feature, finite, with positive
 * deviations; an image shape is {@code [channels, height, width]}.
 */
final class PreprocessingChecks {

    private PreprocessingChecks() {
    }

    static void check(Preprocessing p) {
        if (p.task() == Task.CLASSIFICATION && p.classes().isEmpty()) {
            throw new JsonException("preprocessing.classes: a classification model needs its classes, the list is empty");
        }
        Set<String> seen = new HashSet<>();
        for (String c : p.classes()) {
            if (!seen.add(c)) throw new JsonException("preprocessing.classes: class '" + c + "' is listed twice");
        }
        float[] mean = p.featureMean();
        float[] std = p.featureStd();
        if ((mean == null) != (std == null)) {
            throw new JsonException("preprocessing: feature_mean and feature_std come together, only "
                    + (mean == null ? "feature_std" : "feature_mean") + " is there");
        }
        if (mean != null) {
            // encoded columns (one-hot, indicators) make more inputs than there are named features
            List<String> names = p.featureNames();
            int inputs = p.columns() != null ? p.columns().width() : names.size();
            String of = p.columns() != null ? inputs + " inputs of preprocessing.columns" : names.size() + " feature_names";
            if (mean.length != std.length || ((p.columns() != null || !names.isEmpty()) && mean.length != inputs)) {
                throw new JsonException("preprocessing: feature_mean has " + mean.length + " values and feature_std "
                        + std.length + " for " + of + "; they must match");
            }
            for (int i = 0; i < mean.length; i++) {
                if (!Float.isFinite(mean[i])) {
                    throw new JsonException("preprocessing.feature_mean[" + i + "] is " + mean[i] + ", not a finite number");
                }
                if (!(std[i] > 0) || !Float.isFinite(std[i])) {
                    throw new JsonException("preprocessing.feature_std[" + i + "] is " + std[i]
                            + "; a standard deviation must be positive and finite");
                }
            }
        }
        if (!Double.isFinite(p.targetMean())) {
            throw new JsonException("preprocessing.target_mean is " + p.targetMean() + ", not a finite number");
        }
        if (!(p.targetStd() > 0) || !Double.isFinite(p.targetStd())) {
            throw new JsonException("preprocessing.target_std is " + p.targetStd() + "; a standard deviation must be positive and finite");
        }
        int[] image = p.imageShape();
        if (image != null && image.length != 3) {
            throw new JsonException("preprocessing.image_shape must be [channels, height, width], got " + image.length + " numbers");
        }
        if (image == null && ("image".equals(p.kind()) || "idx".equals(p.kind()))) {
            throw new JsonException("preprocessing.image_shape is missing for " + p.kind() + " data");
        }
    }
}
