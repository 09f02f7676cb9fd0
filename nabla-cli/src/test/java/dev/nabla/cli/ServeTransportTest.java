package dev.nabla.cli;

import dev.nabla.serve.PredictionServer;
import dev.nabla.serve.ServedModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two HTTP servers under {@code nabla serve}, Netty (the default) and the JDK's
 * ({@code -Dnabla.serve.transport=jdk}), give the same answers byte for byte: a prediction, a 404, a 413 for a body
 * over the limit; requests pipelined on one connection are answered in order; a port in use is an exit-2 usage error.
 * The protocol itself is covered by {@link ServeTest} on the default server.
 */
class ServeTransportTest {

    private static final String TRANSPORT = "nabla.serve.transport";
    private static final String INFER = "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [2, 4], "
            + "\"data\": [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]}]}";

    @TempDir
    static Path dir;
    static Path model;
    static ServedModel served;

    @BeforeAll
    static void train() throws Exception {
        model = dir.resolve("iris.nabla");
        assertEquals(0, nabla("train", "--data", CliTestSupport.classificationCsv(dir, "iris.csv", 30, 1, true), "--label", "species",
                "--epochs", 1, "--out", model).code());
        served = new ServeCommand(new Io(System.out, System.err)).load(model.toString());
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(TRANSPORT);
    }

    private static PredictionServer start(String transport, int port) throws IOException {
        System.setProperty(TRANSPORT, transport);
        try {
            return PredictionServer.start(List.of(served), new PredictionServer.Options("127.0.0.1", port, 1000, 64, 2));
        } finally {
            System.clearProperty(TRANSPORT);
        }
    }

    /** Status and body of each answer, in order. */
    private static List<String> answers(PredictionServer server) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        List<String> out = new ArrayList<>();
        String[][] requests = {{"/v2/models/iris/infer", INFER}, {"/v2/models/nope/infer", INFER},
                {"/v2/models/iris/infer", "{\"inputs\": [" + "1.0, ".repeat(300) + "1.0]}"}, {"/v2/models/iris", null}};
        for (String[] r : requests) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.address() + r[0]));
            if (r[1] != null) b.POST(HttpRequest.BodyPublishers.ofString(r[1])).header("Content-Type", "application/json");
            HttpResponse<String> a = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            out.add(a.statusCode() + " " + a.headers().firstValue("Content-Type").orElse("") + " " + a.body());
        }
        return out;
    }

    @Test
    void bothServersAnswerTheSame() throws Exception {
        List<String> netty;
        List<String> jdk;
        try (PredictionServer s = start("netty", 0)) {
            netty = answers(s);
        }
        try (PredictionServer s = start("jdk", 0)) {
            jdk = answers(s);
        }
        assertEquals(jdk, netty);
        assertTrue(netty.get(0).startsWith("200 application/json {\"model_name\":\"iris\""), netty.get(0));
        assertTrue(netty.get(1).startsWith("404 application/json {\"error\":\"unknown model 'nope'"), netty.get(1));
        assertEquals("413 application/json {\"error\":\"the request body is larger than the limit of 1000 bytes (--max-body-bytes)\"}",
                netty.get(2));
        assertTrue(netty.get(3).startsWith("200 application/json {\"name\":\"iris\""), netty.get(3));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        // many connections: a swap of answers (a write from the event loop overtaking one queued from another
        // thread) showed about once in a few runs of a single connection
        try (PredictionServer s = start("netty", 0)) {
            for (int round = 0; round < 40; round++) pipelined(s, round);
        }
    }

    private void pipelined(PredictionServer s, int round) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            byte[] body = INFER.getBytes(StandardCharsets.UTF_8);
            String head = "POST /v2/models/iris/infer HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            // three requests in one write: an infer, a health check, an infer that closes the connection
            out.write((head + INFER + "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                    + head.replace("Host: x", "Host: x\r\nConnection: close") + INFER).getBytes(StandardCharsets.UTF_8));
            out.flush();
            String all = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("HTTP/1\\.1 200 OK\r\n[^{]*(\\{\"(model_name|live)\")").matcher(all);
            List<String> order = new ArrayList<>();
            while (m.find()) order.add(m.group(2));
            assertEquals(List.of("model_name", "live", "model_name"), order, "round " + round + ": " + all);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    @Test
    void aPortInUseIsAUsageError() throws Exception {
        for (String transport : new String[]{"netty", "jdk"}) {
            try (PredictionServer s = start("netty", 0)) {
                assertThrows(BindException.class, () -> start(transport, s.port()).close(), transport);
                if (transport.equals("netty")) {
                    nabla("serve", "--model", model, "--port", s.port()).assertUsageError("--port " + s.port(), "cannot listen there");
                }
            }
        }
    }
}
