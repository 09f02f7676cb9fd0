package dev.nabla.train;

import dev.nabla.dataset.Batch;
import dev.nabla.dataset.DataLoader;
import dev.nabla.kernel.Precision;
import dev.nabla.metrics.Metric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training loop of {@link Model#fit}, the same for every kind of data: per epoch, the loader's batches through
 * forward, loss, backward and optimizer step, then validation and the callbacks, all in the options' precision. An
 * error reading a batch ends training as an {@link UncheckedIOException} whose cause names the file.
 */
final class FitLoop {

    private FitLoop() {
    }

    static History run(Model model, FitData data, FitOptions options) {
        DataLoader train = data.train();
        DataLoader validation = data.validation();
        try (train; validation; var precision = (options.precision != null ? options.precision : Precision.current()).use()) {
            model.ensureOptimizer(train);
            int n = (int) Math.max(0, Math.min(Integer.MAX_VALUE, train.samples()));
            int batches = train.batches();
            int firstEpoch = model.epochsDone() + 1;
            int lastEpoch = model.epochsDone() + options.epochs;
            TrainingContext context = new TrainingContext(model, lastEpoch, n);
            for (Callback c : options.callbacks) c.onTrainBegin(context);
            try {
                for (int epoch = firstEpoch; epoch <= lastEpoch && !context.stopRequested(); epoch++) {
                    for (Callback c : options.callbacks) c.onEpochBegin(epoch, context);
                    model.network().train(true);
                    for (Metric m : model.metrics()) m.reset();
                    double lossSum = 0;
                    long seen = 0;
                    try (DataLoader.Batches epochBatches = train.epoch(epoch)) {
                        int b = 0;
                        while (!context.stoppedAfterBatch()) {
                            Batch xy = epochBatches.next();
                            if (xy == null) break;
                            b++;
                            double batchLoss = model.trainStep(xy, options, epoch, b);
                            lossSum += batchLoss * xy.samples();
                            seen += xy.samples();
                            for (Callback c : options.callbacks) c.onBatchEnd(epoch, b, batches < 0 ? b : batches, batchLoss, context);
                        }
                    }
                    if (context.stoppedAfterBatch()) break;   // a cut-short epoch is not an epoch done
                    Map<String, Double> logs = new LinkedHashMap<>();
                    logs.put("loss", lossSum / seen);
                    for (Metric m : model.metrics()) logs.put(m.name(), m.result());
                    if (validation != null) {
                        for (var e : model.evaluate(validation).entrySet()) logs.put("val_" + e.getKey(), e.getValue());
                    }
                    logs.put("lr", (double) model.optimizer().learningRate());
                    model.epochDone(epoch, logs);
                    for (Callback c : options.callbacks) c.onEpochEnd(epoch, logs, context);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                model.network().train(false);
            }
            for (Callback c : options.callbacks) c.onTrainEnd(context);
            return model.history();
        }
    }
}
