package dev.nabla.spark;

import dev.nabla.distributed.CollectiveException;
import dev.nabla.distributed.Rendezvous;
import dev.nabla.distributed.TcpRingCollective;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.FitOptions;
import dev.nabla.train.Model;
import dev.nabla.train.ModelCheckpoint;
import org.apache.spark.BarrierTaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One task of the barrier stage (runs on an executor): rank {@code partitionId} of as many ranks as partitions.
 * It reads its partition, listens on a free port, publishes {@code host:port} through
 * {@link BarrierTaskContext#allGather} (which every task of the stage reaches together), joins the
 * {@link TcpRingCollective} of those addresses, and fits its replica on its partition with gradients averaged every
 * step. The replica starts from the checkpoint when there is one (a restarted stage), else from {@link ModelSpec};
 * rank 0 saves a checkpoint after every epoch and returns the final model file's bytes, the others nothing.
 */
final class BarrierTask implements scala.Function1<Iterator<float[]>, Iterator<byte[]>>, Serializable {

    private static final long serialVersionUID = 1L;

    private final int features;
    private final ModelSpec spec;
    private final SparkFitOptions options;

    BarrierTask(int features, ModelSpec spec, SparkFitOptions options) {
        this.features = features;
        this.spec = spec;
        this.options = options;
    }

    @Override
    public Iterator<byte[]> apply(Iterator<float[]> rows) {
        BarrierTaskContext context = BarrierTaskContext.get();
        int rank = context.partitionId();
        List<float[]> local = new ArrayList<>();
        while (rows.hasNext()) local.add(rows.next());
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(0), 4);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            String own = host(context.getTaskInfos()[rank].address()) + ":" + port + ":" + local.size();
            String[] gathered = context.allGather(own);
            List<String> addresses = new ArrayList<>();
            for (int r = 0; r < gathered.length; r++) {
                String[] parts = gathered[r].split(":");
                if (Integer.parseInt(parts[parts.length - 1]) == 0) {
                    throw new IllegalArgumentException("partition " + r + " of " + gathered.length + " is empty: every task needs rows "
                            + "to train on; repartition the data (e.g. rdd.repartition(" + Math.max(1, gathered.length - 1) + "))");
                }
                addresses.add(gathered[r].substring(0, gathered[r].lastIndexOf(':')));
            }
            try (TcpRingCollective ring = TcpRingCollective.connect(rank, server, Rendezvous.parse(String.join(",", addresses)),
                    options.timeout())) {
                byte[] model = train(local, ring, context.stageAttemptNumber());
                return CollectionConverters.asScala(rank == 0 ? List.of(model).iterator() : List.<byte[]>of().iterator());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] train(List<float[]> rows, TcpRingCollective ring, int stageAttempt) throws IOException {
        Path checkpoint = Path.of(options.checkpointDir()).resolve(SparkTrainer.CHECKPOINT);
        Model model = Files.exists(checkpoint) ? Model.load(checkpoint) : spec.create();
        int resumedAfter = model.epochsDone();
        // every rank must resume from the same epoch (a checkpoint replaced while the ranks read it: fail, and let
        // Spark run the stage again)
        float[] start = {resumedAfter};
        ring.broadcast(start, 0);
        if ((int) start[0] != resumedAfter) {
            throw new CollectiveException("rank " + ring.rank() + " read " + checkpoint + " after epoch " + resumedAfter
                    + ", rank 0 after epoch " + (int) start[0]);
        }
        long began = System.nanoTime();
        int remaining = options.epochs() - resumedAfter;
        if (remaining > 0) {
            Tensor[] xy = tensors(rows);
            model.fit(xy[0], xy[1], new FitOptions().epochs(remaining).batchSize(options.batchSize()).seed(options.seed())
                    .shuffle(options.shuffle()).collective(ring).shardData(false).callbacks(new ModelCheckpoint(checkpoint)));
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        if (ring.rank() != 0) return null;
        TcpRingCollective.Stats stats = ring.stats();
        model.metadata().put("spark", SparkTrainer.report(ring.worldSize(), stageAttempt, resumedAfter, remaining, rows.size(),
                seconds, stats));
        Path file = Files.createTempFile("nabla-spark-", ".nabla");
        try {
            model.save(file);
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Inputs {@code [n, features]} and targets {@code [n]} of rows of {@code features} values and the target. */
    private Tensor[] tensors(List<float[]> rows) {
        int n = rows.size();
        float[] x = new float[n * features];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            float[] row = rows.get(i);
            if (row.length != features + 1) {
                throw new IllegalArgumentException("row " + i + " of partition " + BarrierTaskContext.get().partitionId() + " has "
                        + row.length + " values; expected " + features + " features and the target");
            }
            System.arraycopy(row, 0, x, i * features, features);
            y[i] = row[features];
        }
        return new Tensor[]{Tensor.wrap(x, n, features), Tensor.wrap(y, n)};
    }

    /** The host of an executor's {@code host:port} (or of a bare host). */
    static String host(String address) {
        int colon = address.lastIndexOf(':');
        return colon > 0 && address.indexOf(':') == colon ? address.substring(0, colon) : address;
    }
}
