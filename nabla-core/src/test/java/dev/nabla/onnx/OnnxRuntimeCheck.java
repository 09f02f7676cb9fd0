package dev.nabla.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nabla.tensor.Tensor;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an exported model in ONNX Runtime (a real runtime, not Nabla) and measures how far it is from Nabla. */
public final class OnnxRuntimeCheck {

    private OnnxRuntimeCheck() {
    }

    /** The first output of {@code model} run on {@code inputs} (by input name), as a flat array. */
    public static float[] run(byte[] model, Map<String, Tensor> inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model, options)) {
            Map<String, OnnxTensor> feed = new LinkedHashMap<>();
            try {
                for (var e : inputs.entrySet()) {
                    Tensor t = e.getValue().contiguous();
                    long[] shape = new long[t.rank()];
                    for (int i = 0; i < shape.length; i++) shape[i] = t.shape(i);
                    feed.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(t.toArray()), shape));
                }
                try (OrtSession.Result result = session.run(feed)) {
                    FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                    float[] values = new float[out.remaining()];
                    out.get(values);
                    return values;
                }
            } finally {
                for (OnnxTensor t : feed.values()) t.close();
            }
        }
    }

    /** The model's output names, as ONNX Runtime reads them. */
    public static java.util.Set<String> outputNames(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = OrtEnvironment.getEnvironment().createSession(model, options)) {
            return session.getOutputNames();
        }
    }

    /** The largest difference, relative to the value's size where it is above 1 (regression values in their units). */
    public static double maxDifference(float[] expected, float[] actual) {
        if (expected.length != actual.length) throw new AssertionError("sizes differ: " + expected.length + " vs " + actual.length);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]) / Math.max(1, Math.abs(expected[i]));
            if (!(d <= max)) max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
        }
        return max;
    }
}
