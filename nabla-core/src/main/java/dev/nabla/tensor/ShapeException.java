package dev.nabla.tensor;

/** Thrown when operands' shapes do not fit an op; the message names the op and the shapes. */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
