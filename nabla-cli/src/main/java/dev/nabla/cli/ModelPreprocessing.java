package dev.nabla.cli;

import dev.nabla.data.Preprocessing;
import dev.nabla.data.Task;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Module;
import dev.nabla.nn.Normalization;
import dev.nabla.nn.Rescaling;
import dev.nabla.nn.Sequential;
import dev.nabla.train.Model;

/**
 * What {@code nabla train} puts inside a new model so that it takes raw data and answers in the data's terms, as
 * {@code Model.load(file).predict(raw)} then does without the command line: in front of the trained layers a
 * {@link Normalization} layer with the training split's feature statistics (tables) or {@code Rescaling(1/255)}
 * (images, read with pixels 0..255); the regression target's standardisation as {@link Model.TargetScaling}; the class
 * names. The trained layers ({@code --arch} and the output layer) are the element {@value #TRAINED} of the model's
 * network, which keeps their weights' seeds, so {@code info}'s {@code "architecture"} stays what {@code --arch} took
 * and {@code "network"} shows the preprocessing too.
 */
final class ModelPreprocessing {

    /** The names of the preprocessing layer and of the trained layers in the model's network. */
    static final String NORMALIZATION = "normalization";
    static final String RESCALING = "rescaling";
    static final String TRAINED = "network";

    /** What the image loaders give a new model: pixels 0..255, which its {@link Rescaling} layer maps to [0, 1]. */
    static final int PIXEL_MAX = 255;

    private ModelPreprocessing() {
    }

    /**
     * The network of a new model: the preprocessing layer for {@code statistics} (as {@link
     * dev.nabla.data.Standardizer#statistics} fits them), then {@code trained}, built for samples of {@code sampleShape}.
     */
    static Module network(Module trained, Preprocessing statistics, int[] sampleShape) {
        // token ids need no scaling: the network is the trained layers themselves (the tokenizer is the model's)
        if (statistics.kind().equals("text")) return trained;
        Layer front;
        if (statistics.featureMean() != null) {
            front = new Normalization(statistics.featureMean(), statistics.featureStd()).named(NORMALIZATION);
        } else if (statistics.imageShape() != null && statistics.pixelMax() == PIXEL_MAX) {
            front = new Rescaling(1.0 / PIXEL_MAX, 0).named(RESCALING);
        } else {
            throw new IllegalStateException("no preprocessing for " + statistics.kind() + " data: tables are standardised, "
                    + "image pixels read 0.." + PIXEL_MAX);
        }
        Sequential network = new Sequential(front, trained.name() == null ? trained.named(TRAINED) : trained);
        return network.build(sampleShape);
    }

    /**
     * The trained layers of a network made by {@link #network}, or null for any other network (one of model format
     * 1, or not made by the command line).
     */
    static Module trained(Module network) {
        if (!(network instanceof Sequential seq) || seq.layers().size() != 2) return null;
        Module front = seq.layers().get(0);
        boolean normalization = front instanceof Normalization && NORMALIZATION.equals(front.name());
        if (!normalization && !(front instanceof Rescaling && RESCALING.equals(front.name()))) return null;
        return seq.layers().get(1);
    }

    /** Whether the model's network starts with the {@link Normalization} layer of a table model. */
    static boolean standardises(Model model) {
        return model.network().children().get(NORMALIZATION) instanceof Normalization;
    }

    /** Gives a new model the target standardisation (regression) and class names (classification) of {@code statistics}. */
    static Model configure(Model model, Preprocessing statistics) {
        if (statistics.task() == Task.REGRESSION) {
            model.targetScaling(new Model.TargetScaling(statistics.targetMean(), statistics.targetStd()));
        }
        return model.classNames(statistics.classes());
    }
}
