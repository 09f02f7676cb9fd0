package dev.nabla.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters for {@code GET /metrics}, in the Prometheus text format (version 0.0.4):
 * {@code nabla_requests_total{model, code}}, the histogram {@code nabla_request_duration_seconds{model}} and the
 * histogram {@code nabla_batch_size{model}}. The format is a few lines of text, written here rather than through a
 * client library.
 */
final class Metrics {

    private static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, Histogram> batches = new ConcurrentHashMap<>();
    // per model, the counters above found once: a request then builds no label text and hashes no string it made
    private final Map<String, Counters> byModel = new ConcurrentHashMap<>();

    /** One model's counters, shared with the maps that {@link #render} walks. */
    private final class Counters {
        final String model;
        final Histogram latency;
        final LongAdder[] byStatus = new LongAdder[600];
        Histogram batches;

        Counters(String model) {
            this.model = model;
            this.latency = Metrics.this.latency.computeIfAbsent(labels(model, null, null), k -> new Histogram(LATENCY_BUCKETS));
        }

        LongAdder status(int status) {
            if (status < 0 || status >= byStatus.length) return counter(model, status);
            LongAdder a = byStatus[status];
            if (a == null) byStatus[status] = a = counter(model, status); // a race finds the same adder in the map
            return a;
        }

        Histogram batches() {
            Histogram h = batches;
            if (h == null) batches = h = Metrics.this.batches.computeIfAbsent(labels(model, null, null), k -> new Histogram(BATCH_BUCKETS));
            return h;
        }
    }

    private LongAdder counter(String model, int status) {
        return requests.computeIfAbsent(labels(model, "code", Integer.toString(status)), k -> new LongAdder());
    }

    private Counters of(String model) {
        Counters c = byModel.get(model);
        return c != null ? c : byModel.computeIfAbsent(model, Counters::new);
    }

    /** One answered request: {@code model} is "" when the request named none (or an unknown one). */
    void request(String model, int status, double seconds) {
        Counters c = of(model);
        c.status(status).increment();
        c.latency.observe(seconds);
    }

    /** One predict call of {@code size} samples. */
    void batch(String model, int size) {
        of(model).batches().observe(size);
    }

    /** The text of {@code GET /metrics}. */
    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP nabla_requests_total Requests answered, by model and HTTP status.\n");
        sb.append("# TYPE nabla_requests_total counter\n");
        new TreeMap<>(requests).forEach((k, v) -> sb.append("nabla_requests_total{").append(k).append("} ").append(v.sum()).append('\n'));
        write(sb, "nabla_request_duration_seconds", "Time from the request's arrival to its answer.", latency);
        write(sb, "nabla_batch_size", "Samples in each predict call.", batches);
        return sb.toString();
    }

    private static void write(StringBuilder sb, String name, String help, Map<String, Histogram> histograms) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" histogram\n");
        new TreeMap<>(histograms).forEach((labels, h) -> h.write(sb, name, labels));
    }

    private static String labels(String model, String key, String value) {
        String s = "model=\"" + escape(model) + "\"";
        return key == null ? s : s + "," + key + "=\"" + value + "\"";
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** Cumulative buckets, a sum and a count. */
    private static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] counts;
        private final DoubleAdder sum = new DoubleAdder();
        private final LongAdder count = new LongAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) counts[i] = new LongAdder();
        }

        void observe(double v) {
            for (int i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]) {
                    counts[i].increment();
                    break;
                }
            }
            sum.add(v);
            count.increment();
        }

        void write(StringBuilder sb, String name, String labels) {
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts[i].sum();
                sb.append(name).append("_bucket{").append(labels).append(",le=\"").append(number(bounds[i])).append("\"} ")
                        .append(cumulative).append('\n');
            }
            long n = count.sum();
            sb.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(n).append('\n');
            sb.append(name).append("_sum{").append(labels).append("} ").append(String.format(Locale.ROOT, "%s", sum.sum())).append('\n');
            sb.append(name).append("_count{").append(labels).append("} ").append(n).append('\n');
        }
    }
}
