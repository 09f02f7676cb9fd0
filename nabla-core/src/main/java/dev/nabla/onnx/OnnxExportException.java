package dev.nabla.onnx;

/** A model, or one of its layers, that cannot be written as ONNX; the message names the layer. */
public final class OnnxExportException extends IllegalArgumentException {

    public OnnxExportException(String message) {
        super(message);
    }
}
