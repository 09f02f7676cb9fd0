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
 *   <li>each rank reads its shard of the data ({@link dev.nabla.dataset.DataLoader#shard}): positions
 *       {@code r, r+N, ...} of the epoch's permutation of the whole data set, which every rank draws alike, so batch
 *       b of all ranks together is batch b of one process of batch N*B; a stream's shard is every N-th record;</li>
 *   <li>all ranks take the same number of steps: a rank whose shard has no batch left joins each step's all-reduce
 *       with no rows until no rank has one ({@link #epochEnded});</li>
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
     * The gradients, then one count per parameter of the ranks that have its gradient, then the rank's batch rows,
     * the ranks asking to stop after a batch, and the rank's batch weight.
     */
    private final float[] flat;
    private boolean epochEnded;

    private GradientSync(Collective collective, Module network, List<Tensor> parameters) {
        this.collective = collective;
        this.rank = collective.rank();
        this.world = collective.worldSize();
        this.parameters = parameters;
        this.buffers = new ArrayList<>(network.namedBuffers().values());
        int floats = 0;
        for (Tensor p : parameters) floats += p.size();
        this.gradientFloats = floats;
        this.flat = world == 1 ? null : new float[floats + parameters.size() + 3];
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
     * Makes every parameter's gradient the mean over the global batch: {@code sum_r(w_r * g_r) / sum_r(w_r)} with
     * {@code w_r} this rank's weight (its {@code rows}, or the sum of its sample weights: what its loss is the mean
     * over). A gradient that no rank has stays absent, as in one process. A rank's request to stop after a batch
     * ({@link TrainingContext#stopAfterBatch}, e.g. on Ctrl-C) travels along: when any rank asked, all stop after
     * this step.
     */
    boolean averageGradients(dev.nabla.dataset.Batch xy, TrainingContext context) {
        if (world == 1) return true;
        int rows = xy == null ? 0 : xy.samples();
        float w = rows;
        if (xy != null && xy.weights() != null) {
            double sum = 0;
            for (float v : xy.weights().contiguous().toArray()) sum += v;
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
        flat[flat.length - 3] = rows;
        flat[flat.length - 2] = context.stopAsked() ? 1 : 0;
        flat[flat.length - 1] = w;
        collective.allReduce(flat);
        if (flat[flat.length - 2] > 0) context.agreeToStopAfterBatch();
        epochEnded = flat[flat.length - 3] == 0;
        if (epochEnded) return false;
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
        return true;
    }

    /** The sum over the ranks of a count ({@code -1}, unknown, on any rank: -1), exact up to 2^47. */
    long sum(long count) {
        if (world == 1) return count;
        // 16-bit pieces: each piece's sum is exact in a float for up to 256 ranks
        float[] parts = {count < 0 ? 1 : 0, count & 0xFFFF, (count >>> 16) & 0xFFFF, (count >>> 32) & 0xFFFF};
        collective.allReduce(parts);
        if (parts[0] > 0) return -1;
        return (long) parts[1] + ((long) parts[2] << 16) + ((long) parts[3] << 32);
    }

    /** Whether the last {@link #averageGradients} found that no rank had a batch left: the epoch is over. */
    boolean epochEnded() {
        return epochEnded;
    }

    /** Whether a rank must join the next step even when its shard has no batch left (other ranks may have one). */
    boolean waitsForOthers() {
        return world > 1;
    }

    private static Tensor contiguous(Tensor p, Tensor g) {
        if (g.isContiguous() && g.offset() == 0) return g;
        Tensor c = g.materialize(true);
        p.setGrad(c);
        return c;
    }

    /**
     * The epoch's {@code loss} and metrics over every rank's samples ({@code lossSum}: this rank's sum of batch loss
     * times batch rows over its {@code seen} rows; a metric: the ranks' results weighted by their rows, which for
     * accuracy and mean errors is the result over all samples), after making the buffers the mean over the ranks.
     * One rank: as they are.
     */
    Map<String, Double> epochLogs(double lossSum, long seen, List<Metric> metrics) {
        Map<String, Double> logs = new LinkedHashMap<>();
        if (world == 1) {
            logs.put("loss", lossSum / seen);
            for (Metric m : metrics) logs.put(m.name(), m.result());
            return logs;
        }
        averageBuffers();
        float[] totals = new float[2 + metrics.size()];
        totals[0] = (float) lossSum;
        totals[1] = seen;
        for (int i = 0; i < metrics.size(); i++) totals[2 + i] = seen == 0 ? 0 : (float) (metrics.get(i).result() * seen);
        collective.allReduce(totals);
        logs.put("loss", (double) totals[0] / totals[1]);
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
        dev.nabla.kernel.ParameterArrays.modified();
    }
}
