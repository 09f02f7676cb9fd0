package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.StepArena;
import dev.nabla.tensor.Tensor;

/**
 * Layer normalisation over the last axis as one op, PyTorch's {@code F.layer_norm(x, [D], gamma, beta, eps)}:
 * each row of {@code D} values becomes {@code (x - mean) / sqrt(var + eps) * gamma + beta} (biased variance).
 *
 * <p>The backward pass is the closed form per row: with {@code xhat = (x - mean) * rstd} and
 * {@code d = g * gamma}, {@code dx = rstd * (d - mean(d) - xhat * mean(d * xhat))}, {@code dgamma = sum(g * xhat)},
 * {@code dbeta = sum(g)} over the rows. One op instead of the six a composed layer norm records, and one pass over
 * the data each way instead of a dozen; rows are split over Nabla's threads.
 */
public final class LayerNormOp extends Function {

    private static final int ROW_GRAIN = 64;

    private final int rows;
    private final int features;
    private float[] xhat;
    private float[] rstd;
    private float[] gamma;

    private LayerNormOp(int rows, int features, float[] xhat, float[] rstd, float[] gamma) {
        this.rows = rows;
        this.features = features;
        this.xhat = xhat;
        this.rstd = rstd;
        this.gamma = gamma;
    }

    /** Normalises {@code x [..., D]} over its last axis; {@code gamma}, {@code beta}: {@code [D]}. */
    public static Tensor apply(Tensor x, Tensor gamma, Tensor beta, float eps) {
        int[] xs = x.shape();
        if (xs.length == 0) throw new ShapeException("layer_norm: needs input with a feature axis, got a scalar");
        int d = xs[xs.length - 1];
        if (gamma.size() != d || beta.size() != d) {
            throw new ShapeException("layer_norm: gamma " + Shape.str(gamma.shape()) + " and beta " + Shape.str(beta.shape())
                    + " do not fit " + d + " features of input " + Shape.str(xs));
        }
        int rows = d == 0 ? 0 : x.size() / d;
        float[] in = Dense.zeroOffset(x);
        float[] g = Dense.zeroOffset(gamma);
        float[] b = Dense.zeroOffset(beta);
        float[] out = StepArena.floats(x.size());
        boolean grad = needsGrad(x, gamma, beta);
        float[] xhat = grad ? StepArena.floats(x.size()) : null;
        float[] rstd = StepArena.floats(rows);
        Parallel.forRange(rows, ROW_GRAIN, (start, end) -> {
            for (int r = start; r < end; r++) {
                int o = r * d;
                double sum = 0;
                for (int i = 0; i < d; i++) sum += in[o + i];
                float mean = (float) (sum / d);
                double sq = 0;
                for (int i = 0; i < d; i++) {
                    float c = in[o + i] - mean;
                    sq += c * c;
                }
                float inv = (float) (1.0 / Math.sqrt(sq / d + eps));
                rstd[r] = inv;
                for (int i = 0; i < d; i++) {
                    float h = (in[o + i] - mean) * inv;
                    if (xhat != null) xhat[o + i] = h;
                    out[o + i] = h * g[i] + b[i];
                }
            }
        });
        Tensor result = Tensor.wrap(out, xs);
        if (!grad) return result;
        return new LayerNormOp(rows, d, xhat, rstd, g.clone()).record(result, x, gamma, beta);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] g = Dense.zeroOffset(gradOutput);
        int d = features;
        float[] dx = needsInputGrad(0) ? StepArena.floats(rows * d) : null;
        boolean params = needsInputGrad(1) || needsInputGrad(2);
        int chunks = Math.max(1, Math.min(Parallel.threads(), (rows + ROW_GRAIN - 1) / ROW_GRAIN));
        // per-chunk partial sums of dgamma and dbeta, added up afterwards in chunk order (deterministic)
        float[][] dgammaParts = new float[chunks][];
        float[][] dbetaParts = new float[chunks][];
        int perChunk = (rows + chunks - 1) / chunks;
        Parallel.forRange(chunks, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int start = c * perChunk;
                int end = Math.min(rows, start + perChunk);
                float[] dgamma = params ? new float[d] : null;
                float[] dbeta = params ? new float[d] : null;
                for (int r = start; r < end; r++) {
                    int o = r * d;
                    if (params) {
                        for (int i = 0; i < d; i++) {
                            dgamma[i] += g[o + i] * xhat[o + i];
                            dbeta[i] += g[o + i];
                        }
                    }
                    if (dx != null) {
                        float sumD = 0;
                        float sumDx = 0;
                        for (int i = 0; i < d; i++) {
                            float v = g[o + i] * gamma[i];
                            sumD += v;
                            sumDx += v * xhat[o + i];
                        }
                        float meanD = sumD / d;
                        float meanDx = sumDx / d;
                        float inv = rstd[r];
                        for (int i = 0; i < d; i++) {
                            dx[o + i] = inv * (g[o + i] * gamma[i] - meanD - xhat[o + i] * meanDx);
                        }
                    }
                }
                if (params) {
                    dgammaParts[c] = dgamma;
                    dbetaParts[c] = dbeta;
                }
            }
        });
        Tensor dgammaT = null;
        Tensor dbetaT = null;
        if (params) {
            float[] dgamma = new float[d];
            float[] dbeta = new float[d];
            for (int c = 0; c < chunks; c++) {
                for (int i = 0; i < d; i++) {
                    dgamma[i] += dgammaParts[c][i];
                    dbeta[i] += dbetaParts[c][i];
                }
            }
            dgammaT = needsInputGrad(1) ? Tensor.wrap(dgamma, d) : null;
            dbetaT = needsInputGrad(2) ? Tensor.wrap(dbeta, d) : null;
        }
        return new Tensor[]{dx == null ? null : Tensor.wrap(dx, gradOutput.shape()), dgammaT, dbetaT};
    }

    @Override
    protected void releaseSaved() {
        xhat = null;
        rstd = null;
        gamma = null;
    }
}
