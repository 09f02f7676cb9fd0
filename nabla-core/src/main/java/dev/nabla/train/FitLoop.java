package dev.nabla.train;

import dev.nabla.dataset.Batch;
import dev.nabla.dataset.DataLoader;
import dev.nabla.kernel.Precision;
import dev.nabla.metrics.Metric;

import java.io.IOException;
import java.io.UncheckedIOException;
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
            GradientSync sync = GradientSync.start(options.collective, model.network(), model.optimizer().parameters());
            // of all ranks: the whole data set, and the steps of the rank with the most (rank 0); ranks given their own
            // parts (FitOptions.shardData off) add up their sizes, and the steps are known only as they go
            boolean ownParts = sync.worldSize() > 1 && !options.shardData;
            long total = ownParts ? sync.sum(train.samples()) : train.totalSamples();
            int n = (int) Math.max(0, Math.min(Integer.MAX_VALUE, total));
            int batches = ownParts ? -1 : globalBatches(train, sync.worldSize());
            int firstEpoch = model.epochsDone() + 1;
            int lastEpoch = model.epochsDone() + options.epochs;
            TrainingContext context = new TrainingContext(model, lastEpoch, n, sync.rank(), sync.worldSize() > 1);
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
                            // a rank out of batches still joins the others' steps (GradientSync)
                            if (xy == null && !sync.waitsForOthers()) break;
                            double batchLoss = model.trainStep(xy, options, epoch, b + 1, sync, context);
                            if (sync.epochEnded()) break;
                            b++;
                            if (xy != null) {
                                lossSum += batchLoss * xy.samples();
                                seen += xy.samples();
                            }
                            // on every rank alike, a share or not: per-batch schedules stay the same everywhere
                            for (Callback c : options.callbacks) c.onBatchEnd(epoch, b, batches < 0 ? b : batches, batchLoss, context);
                        }
                    }
                    if (context.stoppedAfterBatch()) break;   // a cut-short epoch is not an epoch done
                    Map<String, Double> logs = sync.epochLogs(lossSum, seen, model.metrics());
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

    /** Batches per epoch of the rank with the most (rank 0, of the largest shard), or -1 when the stream does not know. */
    private static int globalBatches(DataLoader train, int worldSize) {
        long n = train.totalSamples();
        long perStep = (long) train.options().batchSize() * worldSize;
        return n < 0 ? -1 : (int) ((n + perStep - 1) / perStep);
    }
}
