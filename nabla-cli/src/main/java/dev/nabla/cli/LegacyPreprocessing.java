package dev.nabla.cli;

import dev.nabla.data.Preprocessing;
import dev.nabla.io.ModelFormatException;
import dev.nabla.train.Model;

import java.nio.file.Path;

/**
 * Models that keep their preprocessing in metadata instead of inside: those of model format 1 (written by the
 * release before preprocessing moved into the model, see {@code src/test/resources/golden/v1}) and models continued
 * from one. Their features are standardised and their pixels scaled to [0, 1] by the loaders, which apply whatever
 * statistics a {@link Preprocessing} holds; their target standardisation, which the command line used to undo by hand,
 * is moved into the loaded model as {@link Model.TargetScaling}, and their classes become its class names. From there
 * evaluate, predict and continued training treat them like any model.
 */
final class LegacyPreprocessing {

    private LegacyPreprocessing() {
    }

    /**
     * Moves the target scaling and class names of {@code saved} into {@code model} where it has none; returns the
     * preprocessing to read data for the model with (targets left in their units).
     */
    static Preprocessing adopt(Model model, Preprocessing saved, Path file) throws ModelFormatException {
        if (model.classNames().isEmpty() && !saved.classes().isEmpty()) model.classNames(saved.classes());
        if (saved.targetMean() == 0 && saved.targetStd() == 1) return saved;
        if (model.targetScaling() != null) {
            throw new ModelFormatException(file + ": scales its target twice, in the model (target_scaling) and in its "
                    + "preprocessing metadata (target_mean, target_std)");
        }
        try {
            model.targetScaling(new Model.TargetScaling(saved.targetMean(), saved.targetStd()));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": invalid preprocessing metadata: " + Errors.oneLine(e.getMessage()), e);
        }
        return saved.withoutTargetScaling();
    }
}
