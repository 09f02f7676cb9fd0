package dev.nabla.data;

/** What a model learns from a data set: to pick one of several classes, or to predict a number. */
public enum Task {
    CLASSIFICATION, REGRESSION;

    /** The lower-case name used in JSON output and model files. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
