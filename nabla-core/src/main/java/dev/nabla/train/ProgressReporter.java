package dev.nabla.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Shows training progress: a bar per epoch redrawn in place (batch, loss, samples/s, ETA) when {@code live}, and a
 * summary line per epoch. The command line's progress display is this callback.
 */
public final class ProgressReporter implements Callback {

    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean live;
    private long epochStart;
    private long lastDraw;
    private double runningLoss;
    private int seen;

    /** @param live redraw a bar with carriage returns (for terminals); otherwise print epoch lines only */
    public ProgressReporter(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    @Override
    public void onEpochBegin(int epoch, TrainingContext context) {
        epochStart = System.nanoTime();
        lastDraw = 0;
        runningLoss = 0;
        seen = 0;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double loss, TrainingContext context) {
        runningLoss += loss;
        seen = batch;
        if (!live || context.rank() != 0) return;
        long now = System.nanoTime();
        if (batch < batches && now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        double elapsed = (now - epochStart) / 1e9;
        double samplesPerSecond = elapsed > 0 ? (double) context.trainSamples() * batch / batches / elapsed : 0;
        double eta = batch > 0 ? elapsed * (batches - batch) / batch : 0;
        int width = 24;
        int filled = (int) Math.round((double) width * batch / batches);
        out.printf(Locale.ROOT, "\rEpoch %d/%d [%s%s] %d/%d  loss %.4f  %,.0f samples/s  ETA %s   ",
                epoch, context.epochs(), "=".repeat(filled), " ".repeat(width - filled), batch, batches,
                runningLoss / batch, samplesPerSecond, duration(eta));
        out.flush();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
        if (context.rank() != 0) return;   // in data-parallel training rank 0 speaks for all
        double elapsed = (System.nanoTime() - epochStart) / 1e9;
        StringBuilder sb = new StringBuilder();
        if (live) sb.append('\r').append(" ".repeat(100)).append('\r');
        sb.append(String.format(Locale.ROOT, "Epoch %d/%d  %s", epoch, context.epochs(), duration(elapsed)));
        for (var e : logs.entrySet()) {
            if (e.getKey().equals("lr")) continue;
            sb.append(String.format(Locale.ROOT, "  %s %.4f", e.getKey(), e.getValue()));
        }
        sb.append(String.format(Locale.ROOT, "  %,.0f samples/s", elapsed > 0 ? context.trainSamples() / elapsed : 0));
        out.println(sb);
    }

    static String duration(double seconds) {
        if (seconds < 60) return String.format(Locale.ROOT, "%.1fs", seconds);
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
