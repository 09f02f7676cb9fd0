package dev.nabla.train;

import dev.nabla.distributed.Collective;
import dev.nabla.metrics.Metric;
import dev.nabla.nn.Module;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Model#fit} does differently on each rank of a data-parallel run ({@link FitOptions#collective}), so
 * that N ranks with batches of B train as one process with batches of N*B:
 * <ul>
 *   <li>at the start every rank takes rank 0's weights and buffers;</li>
 *   <li>each global batch of N*B samples (after the shuffle, which every rank draws alike) is cut in N runs of rows,
 *       rank r taking rows {@code r*B .. (r+1)*B} ({@link #batch});</li>
 *   <li>after backward, before the optimizer step, every gradient becomes the mean over the global batch
 *       ({@link #averageGradients}): each rank's gradient weighted by its rows (or sample weights), in one all-reduce
 *       of one flat buffer per step, so a short last batch or unequal sample weights count as in one process;</li>
 *   <li>at the end of an epoch the buffers (batch norm's running mean and variance) become the mean over the ranks,
 *       and the loss and metrics are those of all the ranks' samples ({@link #epochLogs}), so validation, the logs and
 *       every callback's decision (early stopping, schedules) are the same on every rank.</li>
 * </ul>
 * With one rank every method leaves training exactly as it is without a collective.
 */
final class GradientSync {

    private final Collective collective;
    private final int rank;
    private final int world;
    private final List<Tensor> parameters;
    private final List<Tensor> buffers;
    private final int gradientFloats;
    /**
     * The gradients, then one count per parameter of the ranks that have its gradient, then the ranks asking to stop
     * after a batch, then the rank's batch weight.
     */
    private final float[] flat;

    private GradientSync(Collective collective, Module network, List<Tensor> parameters) {
        this.collective = collective;
        this.rank = collective.rank();
        this.world = collective.worldSize();
        this.parameters = parameters;
        this.buffers = new ArrayList<>(network.namedBuffers().values());
        int floats = 0;
        for (Tensor p : parameters) floats += p.size();
        this.gradientFloats = floats;
        this.flat = world == 1 ? null : new float[floats + parameters.size() + 2];
    }

    /** Joins {@code collective} (null: none) for a fit of these parameters, starting from rank 0's weights. */
    static GradientSync start(Collective collective, Module network, List<Tensor> parameters) {
        GradientSync sync = new GradientSync(collective == null ? Collective.single() : collective, network, parameters);
        if (sync.world > 1) sync.broadcastState();
        return sync;
    }

    int rank() {
        return rank;
    }

    int worldSize() {
        return world;
    }

    /**
     * This rank's part of the global batch of {@code size} samples from {@code start} in {@code order}: an equal run
     * of its rows (empty when the last batch has fewer rows than ranks).
     */
    Batch batch(Inputs x, Tensor y, int[] order, int start, int size, FitOptions options, int epoch) {
        if (world == 1) return Batch.of(x, y, order, start, size, options, epoch);
        int rows = Math.min(x.samples(), start + size) - start;
        int from = start + share(rows, rank);
        return Batch.of(x, y, order, from, start + share(rows, rank + 1) - from, options, epoch);
    }

    private int share(int rows, int r) {
        return (int) ((long) rows * r / world);
    }

    /**
     * Makes every parameter's gradient the mean over the global batch: {@code sum_r(w_r * g_r) / sum_r(w_r)} with
     * {@code w_r} this rank's weight (its {@code rows}, or the sum of its sample weights: what its loss is the mean
     * over). A gradient that no rank has stays absent, as in one process. A rank's request to stop after a batch
     * ({@link TrainingContext#stopAfterBatch}, e.g. on Ctrl-C) travels along: when any rank asked, all stop after
     * this step.
     */
    void averageGradients(int rows, Tensor sampleWeights, TrainingContext context) {
        if (world == 1) return;
        float w = rows;
        if (sampleWeights != null) {
            double sum = 0;
            for (float v : sampleWeights.contiguous().toArray()) sum += v;
            w = (float) sum;
        }
        int at = 0;
        for (int i = 0; i < parameters.size(); i++) {
            Tensor p = parameters.get(i);
            Tensor g = p.grad();
            int size = p.size();
            if (g == null) {
                java.util.Arrays.fill(flat, at, at + size, 0f);
                flat[gradientFloats + i] = 0;
            } else {
                g = contiguous(p, g);
                float[] d = g.data();
                for (int k = 0; k < size; k++) flat[at + k] = d[k] * w;
                flat[gradientFloats + i] = 1;
            }
            at += size;
        }
        flat[flat.length - 2] = context.stopAsked() ? 1 : 0;
        flat[flat.length - 1] = w;
        collective.allReduce(flat);
        if (flat[flat.length - 2] > 0) context.agreeToStopAfterBatch();
        float total = flat[flat.length - 1];
        at = 0;
        for (int i = 0; i < parameters.size(); i++) {
            Tensor p = parameters.get(i);
            int size = p.size();
            if (flat[gradientFloats + i] > 0) {
                Tensor g = p.grad();
                if (g == null) {
                    g = Tensor.zeros(p.shape());
                    p.setGrad(g);
                }
                float[] d = g.data();
                for (int k = 0; k < size; k++) d[k] = flat[at + k] / total;
            }
            at += size;
        }
    }

    private static Tensor contiguous(Tensor p, Tensor g) {
        if (g.isContiguous() && g.offset() == 0) return g;
        Tensor c = g.materialize(true);
        p.setGrad(c);
        return c;
    }

    /**
     * The epoch's {@code loss} and metrics over every rank's samples ({@code lossSum}: this rank's sum of batch loss
     * times batch rows; a metric: the ranks' results weighted by their rows, which for accuracy and mean errors is
     * the result over all samples), after making the buffers the mean over the ranks. One rank: as they are.
     */
    Map<String, Double> epochLogs(double lossSum, int samples, int globalBatch, List<Metric> metrics) {
        Map<String, Double> logs = new LinkedHashMap<>();
        if (world == 1) {
            logs.put("loss", lossSum / samples);
            for (Metric m : metrics) logs.put(m.name(), m.result());
            return logs;
        }
        averageBuffers();
        int rows = 0;
        for (int start = 0; start < samples; start += globalBatch) {
            int inBatch = Math.min(samples, start + globalBatch) - start;
            rows += share(inBatch, rank + 1) - share(inBatch, rank);
        }
        float[] totals = new float[2 + metrics.size()];
        totals[0] = (float) lossSum;
        totals[1] = rows;
        for (int i = 0; i < metrics.size(); i++) totals[2 + i] = rows == 0 ? 0 : (float) (metrics.get(i).result() * rows);
        collective.allReduce(totals);
        logs.put("loss", (double) totals[0] / samples);
        for (int i = 0; i < metrics.size(); i++) logs.put(metrics.get(i).name(), (double) totals[2 + i] / totals[1]);
        return logs;
    }

    /** Every rank starts from rank 0's weights and buffers (and so from the same model whatever its seed). */
    private void broadcastState() {
        List<Tensor> state = new ArrayList<>(parameters);
        state.addAll(buffers);
        float[] all = pack(state);
        collective.broadcast(all, 0);
        unpack(all, state);
    }

    /**
     * Buffers become rank 0's plus the mean of the ranks' differences from rank 0's: the mean over the ranks, and
     * exactly unchanged where all ranks hold the same values (e.g. a normalisation layer's fixed statistics).
     */
    private void averageBuffers() {
        if (buffers.isEmpty()) return;
        float[] own = pack(buffers);
        float[] base = own.clone();
        collective.broadcast(base, 0);
        for (int i = 0; i < own.length; i++) own[i] -= base[i];
        collective.allReduce(own);
        for (int i = 0; i < own.length; i++) base[i] += own[i] / world;
        unpack(base, buffers);
    }

    private static float[] pack(List<Tensor> tensors) {
        int n = 0;
        for (Tensor t : tensors) n += t.size();
        float[] out = new float[n];
        int at = 0;
        for (Tensor t : tensors) {
            System.arraycopy(t.contiguous().data(), t.contiguous().offset(), out, at, t.size());
            at += t.size();
        }
        return out;
    }

    private static void unpack(float[] values, List<Tensor> tensors) {
        int at = 0;
        for (Tensor t : tensors) {
            // parameters and buffers are their own contiguous arrays, updated in place by optimizers and layers
            System.arraycopy(values, at, t.data(), t.offset(), t.size());
            at += t.size();
        }
    }
}
