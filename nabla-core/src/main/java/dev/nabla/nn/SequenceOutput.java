package dev.nabla.nn;

/**
 * A layer that gives either one vector per sequence or the whole sequence ({@code return_sequences}), like the
 * recurrent layers. The command line's comma spec asks for the whole sequence when the next layer reads sequences
 * ({@code lstm:64:bi,globalmaxpool1d}), as a Keras user means by it.
 */
public interface SequenceOutput {

    /** Whether this layer gives every step ({@code [time, features]}) rather than the last one. */
    boolean returnSequences();

    /** The same layer, with the same settings, giving every step. */
    Layer returningSequences();
}
