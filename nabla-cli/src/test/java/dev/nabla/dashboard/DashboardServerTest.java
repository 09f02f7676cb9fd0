package dev.nabla.dashboard;

import dev.nabla.io.Json;
import dev.nabla.train.RunFolder;
import dev.nabla.train.RunRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's server without a browser: the event stream, its replay, the files it serves and refuses. */
class DashboardServerTest {

    @TempDir
    Path dir;

    /** An event-stream reader on its own thread: each {@code data:} line's JSON, and the {@code id:} before it. */
    static final class Stream implements AutoCloseable {
        final BlockingQueue<String> data = new LinkedBlockingQueue<>();
        final List<String> ids = new ArrayList<>();
        private final Socket socket;

        Stream(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            Thread t = new Thread(() -> {
                try {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("id: ")) {
                            synchronized (ids) {
                                ids.add(line.substring(4));
                            }
                        }
                        if (line.startsWith("data: ")) data.add(line.substring(6));
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
        }

        /** The next event's JSON, waiting up to 10 s. */
        Map<String, Object> next() throws InterruptedException {
            String d = data.poll(10, TimeUnit.SECONDS);
            assertNotNull(d, "an event within 10 s");
            return Json.asObject(Json.parse(d), "event");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    @Timeout(60)
    void aLatePageGetsTheWholeHistoryThenLiveEvents() throws Exception {
        try (Dashboard d = Dashboard.start("127.0.0.1", 0)) {
            RunRecorder.Sink run = d.run("mlp");
            run.settings("{\"optimizer\":\"adam\"}");
            run.event("{\"type\":\"start\",\"epochs\":2}");
            try (Stream early = new Stream(d.port())) {
                assertEquals(Map.of("run", "mlp", "event", Map.of("type", "settings", "settings", Map.of("optimizer", "adam"))), early.next());
                assertEquals(Map.of("type", "start", "epochs", 2L), early.next().get("event"));
                run.event("{\"type\":\"epoch\",\"epoch\":1}");
                assertEquals(Map.of("type", "epoch", "epoch", 1L), early.next().get("event"));
                // a second run of the same name is told apart
                RunRecorder.Sink again = d.run("mlp");
                again.event("{\"type\":\"start\",\"epochs\":1}");
                assertEquals("mlp-2", early.next().get("run"));
                try (Stream late = new Stream(d.port())) {
                    List<Object> types = new ArrayList<>();
                    for (int i = 0; i < 4; i++) types.add(late.next().get("event") instanceof Map<?, ?> m ? m.get("type") : null);
                    assertEquals(List.of("settings", "start", "epoch", "start"), types);
                    run.event("{\"type\":\"train_end\",\"status\":\"completed\"}");
                    assertEquals("train_end", ((Map<?, ?>) late.next().get("event")).get("type"));
                    assertEquals("train_end", ((Map<?, ?>) early.next().get("event")).get("type"));
                    synchronized (late.ids) {
                        assertEquals(List.of("1", "2", "3", "4", "5"), late.ids);
                    }
                }
            }
            assertEquals(5, d.events());
        }
    }

    @Test
    @Timeout(60)
    void aBrowserThatReadsNothingNeverHoldsUpTraining() throws Exception {
        try (Dashboard d = Dashboard.start("127.0.0.1", 0);
             Socket stuck = new Socket(InetAddress.getLoopbackAddress(), d.port())) {
            stuck.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            RunRecorder.Sink run = d.run("r");
            String event = "{\"type\":\"batch\",\"loss\":0.5,\"pad\":\"" + "x".repeat(400) + "\"}";
            // 20 MB: far more than the socket buffers hold, so the stream's thread is stuck writing meanwhile; an
            // append that waited for it would never return (the test's time-out)
            for (int i = 0; i < 50_000; i++) run.event(event);
            assertEquals(50_000, d.events());
        }
    }

    @Test
    void thePageAndUPlotComeFromTheJarAndNothingElseIsServed() throws Exception {
        try (Dashboard d = Dashboard.start("127.0.0.1", 0)) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> page = get(client, d.address());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<script src=\"/uplot/uPlot.iife.min.js\"></script>"), page.body());
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
            HttpResponse<byte[]> js = client.send(HttpRequest.newBuilder(URI.create(d.address() + "uplot/uPlot.iife.min.js")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, js.statusCode());
            try (InputStream in = Dashboard.class.getResourceAsStream("/META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")) {
                assertArrayEquals(in.readAllBytes(), js.body(), "uPlot 1.6.30 as its webjar ships it");
            }
            assertTrue(get(client, d.address() + "uplot/LICENSE").body().contains("MIT License"));
            assertTrue(get(client, d.address() + "dashboard.js").body().contains("new EventSource(\"/events\")"));
            assertEquals(404, get(client, d.address() + "uplot/../../etc/passwd").statusCode());
            assertEquals(404, get(client, d.address() + "META-INF/MANIFEST.MF").statusCode());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(d.address())).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void onALoopbackAddressOnlyLocalHostNamesAreAnswered() throws Exception {
        try (Dashboard d = Dashboard.start("127.0.0.1", 0)) {
            for (String host : List.of("localhost", "127.0.0.1", "evil.example")) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), d.port())) {
                    s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + ":" + d.port() + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                    assertEquals(host.equals("evil.example") ? "HTTP/1.1 403 Forbidden" : "HTTP/1.1 200 OK", status, host);
                }
            }
        }
    }

    @Test
    void aPortInUseIsABindError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThrows(BindException.class, () -> Dashboard.start("127.0.0.1", taken.getLocalPort()));
        }
    }

    @Test
    @Timeout(60)
    void aFolderOfRunsIsReadWholeLinesOnlyAndFollowed() throws Exception {
        Path runs = dir.resolve("runs");
        RunFolder a = RunFolder.create(runs, "a");
        a.settings("{\"name\":\"a\"}");
        a.event("{\"type\":\"start\",\"epochs\":3}");
        a.close();
        Path metrics = a.folder().resolve(RunFolder.METRICS);
        // a line cut short by a crash, and one that is not an event
        Files.writeString(metrics, "not json\n{\"type\":\"epo", StandardOpenOption.APPEND);
        Files.createDirectories(runs.resolve("not-a-run"));
        try (Dashboard d = Dashboard.watch(runs, "127.0.0.1", 0); Stream s = new Stream(d.port())) {
            String id = a.folder().getFileName().toString();
            assertEquals(Map.of("run", id, "event", Map.of("type", "settings", "settings", Map.of("name", "a"))), s.next());
            assertEquals(Map.of("type", "start", "epochs", 3L), s.next().get("event"));
            assertNull(s.data.poll(1500, TimeUnit.MILLISECONDS), "the cut line waits for its end");
            Files.writeString(metrics, "ch\",\"epoch\":1}\n", StandardOpenOption.APPEND);
            assertEquals(Map.of("type", "epoch", "epoch", 1L), s.next().get("event"));
            // a run that starts later appears
            RunFolder b = RunFolder.create(runs, "b");
            b.settings("{\"name\":\"b\"}");
            Map<String, Object> first = s.next();
            assertEquals(b.folder().getFileName().toString(), first.get("run"));
            b.close();
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
