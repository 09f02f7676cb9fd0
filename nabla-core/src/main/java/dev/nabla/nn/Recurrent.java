package dev.nabla.nn;

import dev.nabla.ops.RecurrentCell;
import dev.nabla.ops.Recurrence;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.ShapeException;
import dev.nabla.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link LSTM}, {@link GRU} and {@link SimpleRNN} share: {@code [time, features]} samples ({@code [batch, time,
 * features]} batches) in, the last state {@code [D*units]} or, with {@code return_sequences}, every step's state
 * {@code [time, D*units]} out ({@code D} = 2 when bidirectional: forward and reverse concatenated, forward first; the
 * last state is each pass's final state, PyTorch's {@code h_n}). {@code num_layers} stacks layers, each reading the
 * sequence of the one before.
 *
 * <p>Weights are PyTorch's, under its names: {@code weight_ih_l0 [G*units, features]}, {@code weight_hh_l0
 * [G*units, units]}, {@code bias_ih_l0}, {@code bias_hh_l0}, {@code ..._reverse} for the reverse pass, {@code l1} for
 * the second layer; they start as PyTorch's do, uniform in {@code ±1/sqrt(units)}.
 *
 * <p>Optional initial states are further inputs ({@code lstm.on(x, h0, c0)}, {@code gru.on(x, h0)}): per sample
 * {@code [units]}, or {@code [layers*D, units]} when there are several layers or passes (PyTorch's order: layer by
 * layer, forward then reverse). A masked input ({@link Tensor#mask()}, {@code [batch, time]}, 1 for a real step)
 * carries each state unchanged over padded steps and outputs 0 there, so padding changes nothing: the last state is
 * the one after each sample's last real step, a reverse pass starts at its last real step, and with
 * {@code return_sequences} the mask passes on to the next layer (without, it is dropped).
 */
public abstract class Recurrent extends Layer implements SequenceOutput {

    private final RecurrentCell cell;
    private final int units;
    private final Direction direction;
    private final boolean returnSequences;
    private final int layers;
    /** [layer][pass][weight_ih, weight_hh, bias_ih, bias_hh] */
    private Tensor[][][] weights;

    Recurrent(RecurrentCell cell, int units, Direction direction, boolean returnSequences, int layers) {
        if (units < 1) throw new IllegalArgumentException("units must be at least 1, got " + units);
        if (layers < 1) throw new IllegalArgumentException("num_layers must be at least 1, got " + layers);
        this.cell = cell;
        this.units = units;
        this.direction = direction;
        this.returnSequences = returnSequences;
        this.layers = layers;
    }

    /** How many initial-state inputs the layer takes after the sequence: 1, or 2 for an LSTM's {@code h0, c0}. */
    private int stateInputs() {
        return cell == RecurrentCell.LSTM ? 2 : 1;
    }

    private int[] stateShape() {
        int k = layers * direction.passes();
        return k == 1 ? new int[]{units} : new int[]{k, units};
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 2) {
            throw new ShapeException(describe() + ": needs [batch, time, features] input, got " + batched(in));
        }
        int width = direction.passes() * units;
        return returnSequences ? new int[]{in[0], width} : new int[]{width};
    }

    @Override
    public int[] outputShape(List<int[]> inputShapes) {
        int extra = inputShapes.size() - 1;
        if (extra != 0 && extra != stateInputs()) {
            throw new ShapeException(describe() + ": takes the sequence" + (stateInputs() == 2 ? " and optionally h0 and c0"
                    : " and optionally h0") + ", got " + inputShapes.size() + " inputs");
        }
        for (int i = 1; i < inputShapes.size(); i++) {
            if (!java.util.Arrays.equals(inputShapes.get(i), stateShape())) {
                throw new ShapeException(describe() + ": initial state " + i + " must be " + batched(stateShape())
                        + ", got " + batched(inputShapes.get(i)));
            }
        }
        return outputShape(inputShapes.get(0));
    }

    private static String batched(int[] perSample) {
        return perSample.length == 0 ? "[batch]" : "[batch, " + Shape.str(perSample).substring(1);
    }

    @Override
    protected void build(int[] in) {
        int passes = direction.passes();
        int gh = cell.gates * units;
        weights = new Tensor[layers][passes][];
        for (int l = 0; l < layers; l++) {
            int features = l == 0 ? in[1] : passes * units;
            for (int d = 0; d < passes; d++) {
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                weights[l][d] = new Tensor[]{
                        parameter("weight_ih" + suffix, gh, features), parameter("weight_hh" + suffix, gh, units),
                        parameter("bias_ih" + suffix, gh), parameter("bias_hh" + suffix, gh)};
            }
        }
    }

    private Tensor parameter(String name, int... shape) {
        return registerParameter(name, Initializer.torchDefault().create(shape, units, units, random(name)));
    }

    @Override
    protected Tensor call(Tensor x) {
        return run(x, null, null);
    }

    @Override
    protected Tensor call(List<Tensor> inputs) {
        return run(inputs.get(0), inputs.get(1), inputs.size() > 2 ? inputs.get(2) : null);
    }

    /** With {@code return_sequences} the steps keep their meaning, so the mask passes on; the last state has none. */
    @Override
    protected Tensor outputMask(Tensor input, Tensor inputMask) {
        return returnSequences ? inputMask : null;
    }

    @Override
    protected Tensor outputMask(List<Tensor> inputs, List<Tensor> inputMasks) {
        return outputMask(inputs.get(0), inputMasks.get(0));
    }

    /** Sequences of another length than the first batch's: the weights depend on the features only. */
    @Override
    protected boolean fitsBuiltShape(int[] built, int[] now) {
        return sameRankAndLastAxis(built, now);
    }

    private Tensor run(Tensor x, Tensor h0, Tensor c0) {
        for (Tensor s : new Tensor[]{h0, c0}) {
            int[] sample = s == null ? null : java.util.Arrays.copyOfRange(s.shape(), 1, s.rank());
            if (sample != null && !java.util.Arrays.equals(sample, stateShape())) {
                throw new ShapeException(describe() + ": initial states must be " + batched(stateShape()) + ", got "
                        + Shape.str(s.shape()));
            }
        }
        return run(x, h0, c0, x.mask());
    }

    private Tensor run(Tensor x, Tensor h0, Tensor c0, Tensor mask) {
        int passes = direction.passes();
        Tensor seq = x;
        for (int l = 0; l < layers; l++) {
            boolean sequences = l < layers - 1 || returnSequences;
            List<Tensor> outs = new ArrayList<>();
            for (int d = 0; d < passes; d++) {
                Tensor[] w = weights[l][d];
                outs.add(Recurrence.apply(cell, seq, w[0], w[1], w[2], w[3], state(h0, l * passes + d),
                        state(c0, l * passes + d), mask, direction.reversed(d), sequences));
            }
            seq = passes == 1 ? outs.get(0) : Tensor.concat(-1, outs.toArray(new Tensor[0]));
        }
        return seq;
    }

    /** Initial state {@code k} ({@code [batch, units]}) of a {@code [batch, units]} or {@code [batch, k, units]} input. */
    private Tensor state(Tensor s, int k) {
        if (s == null || s.rank() == 2) return s;
        return s.narrow(1, k, 1).reshape(s.shape(0), units);
    }

    /** The same layer with {@code return_sequences} on (the command line's spec, when the next layer reads sequences). */
    @Override
    public abstract Recurrent returningSequences();

    public int units() {
        return units;
    }

    public Direction direction() {
        return direction;
    }

    @Override
    public boolean returnSequences() {
        return returnSequences;
    }
}
