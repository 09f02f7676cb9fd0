package dev.nabla.cli;

import dev.nabla.data.Preprocessing;
import dev.nabla.data.Task;
import dev.nabla.loss.SparseCategoricalCrossEntropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Sgd;
import dev.nabla.serve.PredictionServer;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Model;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Netty server answers small predictions to a quick model on its event loops, predicting together what a loop
 * read in one cycle (bounded by {@code --max-batch}); a slow model's predictions stay on virtual threads, so they hold
 * up no other connection; pipelined answers keep their order across both paths.
 */
class ServeEventLoopTest {

    private static final int FEATURES = 4;

    /** Sleeps {@code millis} in each call (a model too slow for the event loop), and blocks while {@link #gate} is set. */
    static final class Slow extends Layer {
        record Config() {
        }

        volatile CountDownLatch gate;
        final CountDownLatch entered = new CountDownLatch(1);

        @Override
        public Record config() {
            return new Config();
        }

        @Override
        public int[] outputShape(int[] in) {
            return in.clone();
        }

        @Override
        protected Tensor call(Tensor x) {
            try {
                Thread.sleep(5);
                CountDownLatch g = gate;
                if (g != null) {
                    entered.countDown();
                    assertTrue(g.await(30, TimeUnit.SECONDS));
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return x;
        }
    }

    private static dev.nabla.serve.ServedModel model(String name, Layer extra) {
        Sequential net = extra == null ? new Sequential(new Dense(3)) : new Sequential(extra, new Dense(3));
        net.seed(3).build(FEATURES);
        Model m = new Model(net);
        m.compile(p -> new Sgd(p, 0.1f), new SparseCategoricalCrossEntropy());
        List<String> classes = List.of("a", "b", "c");
        m.classNames(classes);
        List<String> features = List.of("f0", "f1", "f2", "f3");
        return ServedModels.of(name, m, new Preprocessing("table", Task.CLASSIFICATION, classes, features, "label", null, null, 0, 1, null));
    }

    private static String infer(int row) {
        return String.format(Locale.ROOT, "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [1, 4], "
                + "\"data\": [%d.5, 0.25, -1.75, %d]}]}", row, 2 * row);
    }

    private static String post(String model, String body, boolean close) {
        return "POST /v2/models/" + model + "/infer HTTP/1.1\r\nHost: x\r\n" + (close ? "Connection: close\r\n" : "")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static final String LIVE = "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n";

    /** The bodies of the answers to what {@code requests} sends in one write (the last asks to close). */
    private static List<String> exchange(PredictionServer s, String requests) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000); // an answer held up by another connection's prediction fails the test
            OutputStream out = socket.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return bodies(socket.getInputStream());
        }
    }

    private static List<String> bodies(InputStream in) throws IOException {
        String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("HTTP/1\\.1 200 OK\r\n[^{]*(\\{[^\r]*?\\})(?=HTTP/1\\.1|$)").matcher(all);
        List<String> out = new ArrayList<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** {@code nabla_batch_size_count} and {@code _sum} of {@code model}. */
    private static long[] batches(PredictionServer s, String model) {
        String text = new String(s.answer("GET", "/metrics", new byte[0]).body(), StandardCharsets.UTF_8);
        long[] out = new long[2];
        for (String line : text.split("\n")) {
            if (line.startsWith("nabla_batch_size_count{model=\"" + model + "\"}")) out[0] = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("nabla_batch_size_sum{model=\"" + model + "\"}")) out[1] = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return out;
    }

    @Test
    void requestsReadInOneCycleArePredictedTogetherInOrderAndBounded() throws Exception {
        // no batching wait: on virtual threads, the first of pipelined requests would be predicted on its own
        try (PredictionServer s = PredictionServer.start(List.of(model("fast", null)),
                new PredictionServer.Options("127.0.0.1", 0, 1 << 20, 5, 0))) {
            List<String> single = new ArrayList<>();
            for (int r = 0; r < 8; r++) {
                single.add(new String(s.answer("POST", "/v2/models/fast/infer", infer(r).getBytes(StandardCharsets.UTF_8)).body(),
                        StandardCharsets.UTF_8));
            }
            for (int round = 0; round < 5; round++) {
                long[] before = batches(s, "fast");
                StringBuilder requests = new StringBuilder();
                for (int r = 0; r < 8; r++) requests.append(post("fast", infer(r), r == 7));
                assertEquals(single, exchange(s, requests.toString()), "round " + round + ": each its own answer, in order");
                long[] after = batches(s, "fast");
                assertEquals(8, after[1] - before[1], "8 samples predicted");
                // what one read brought, in batches of at most 5: 5 + 3
                assertEquals(2, after[0] - before[0], "round " + round + ": predict calls");
            }
        }
    }

    @Test
    void aSlowModelHoldsUpNoOtherConnectionAndPipelinedAnswersKeepTheirOrder() throws Exception {
        Slow slow = new Slow();
        try (PredictionServer s = PredictionServer.start(List.of(model("fast", null), model("slow", slow)),
                new PredictionServer.Options("127.0.0.1", 0, 1 << 20, 64, 0))) {
            // measured: the slow model takes 5 ms a sample, over the bound of the event loop
            for (int r = 0; r < 3; r++) {
                assertEquals(1, exchange(s, post("slow", infer(r), true)).size());
                assertEquals(1, exchange(s, post("fast", infer(r), true)).size());
            }
            slow.gate = new CountDownLatch(1);
            try (Socket held = new Socket("127.0.0.1", s.port())) {
                // the slow prediction, then a health check and a quick prediction pipelined after it
                held.getOutputStream().write((post("slow", infer(1), false) + LIVE + post("fast", infer(2), true)).getBytes(StandardCharsets.UTF_8));
                held.getOutputStream().flush();
                assertTrue(slow.entered.await(30, TimeUnit.SECONDS));
                // a connection on every event loop: one shares the held connection's loop
                int loops = Runtime.getRuntime().availableProcessors();
                for (int i = 0; i < loops + 1; i++) {
                    assertEquals(List.of("{\"live\":true}"), exchange(s, LIVE.replace("Host: x", "Host: x\r\nConnection: close")), "connection " + i);
                    List<String> fast = exchange(s, post("fast", infer(i), true));
                    assertEquals(1, fast.size());
                    assertTrue(fast.get(0).startsWith("{\"model_name\":\"fast\""), fast.get(0));
                }
                assertEquals(0, held.getInputStream().available(), "nothing answered on the held connection yet");
                slow.gate.countDown();
                List<String> answers = bodies(held.getInputStream());
                assertEquals(3, answers.size(), answers.toString());
                assertTrue(answers.get(0).startsWith("{\"model_name\":\"slow\""), answers.get(0));
                assertEquals("{\"live\":true}", answers.get(1));
                assertTrue(answers.get(2).startsWith("{\"model_name\":\"fast\""), answers.get(2));
            } finally {
                slow.gate.countDown();
            }
        }
    }
}
