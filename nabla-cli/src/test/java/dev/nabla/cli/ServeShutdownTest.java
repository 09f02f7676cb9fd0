package dev.nabla.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nabla serve} in a child JVM: it prints the address with the port it got, and SIGTERM in the middle of a
 * request (its body sent with a Content-Length or chunked) lets that request finish (200) before the JVM exits with status 0.
 */
class ServeShutdownTest {

    @TempDir
    Path dir;

    @Test
    void sigtermFinishesTheRequestInFlightAndExitsZero() throws Exception {
        Path model = dir.resolve("iris.nabla");
        assertEquals(0, nabla("train", "--data", CliTestSupport.classificationCsv(dir, "iris.csv", 30, 1, true), "--label", "species",
                "--epochs", 1, "--out", model).code());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--model", model.toString(), "--port", "0", "--threads", "1").redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            // stderr comes along: JVM warnings (native access) before the address
            while (line != null && !line.startsWith("listening on ")) line = r.readLine();
            assertTrue(line != null && line.matches("listening on http://127\\.0\\.0\\.1:\\d+"), "got: " + line);
            String address = line.substring("listening on ".length());
            assertTrue(!address.endsWith(":0"), "the real port");
            HttpClient client = HttpClient.newHttpClient();
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(address + "/v2/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            // two requests whose bodies arrive in two parts, SIGTERM in between (plain sockets: the test decides when
            // each byte is sent): one with a Content-Length, one chunked
            byte[] first = "{\"instances\": [{\"a\": 1, \"b\": 2,".getBytes(StandardCharsets.UTF_8);
            byte[] second = " \"c\": 3, \"d\": 4}]}".getBytes(StandardCharsets.UTF_8);
            URI uri = URI.create(address);
            String head = "POST /v1/models/iris:predict HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
            try (Socket fixed = new Socket(uri.getHost(), uri.getPort()); Socket chunked = new Socket(uri.getHost(), uri.getPort())) {
                OutputStream a = fixed.getOutputStream();
                a.write(ascii(head + "Content-Length: " + (first.length + second.length) + "\r\n\r\n"));
                a.write(first);
                a.flush();
                OutputStream b = chunked.getOutputStream();
                b.write(ascii(head + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(first.length) + "\r\n"));
                b.write(first);
                b.write(ascii("\r\n"));
                b.flush();
                Thread.sleep(1000);
                assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
                Thread.sleep(500);
                a.write(second);
                a.flush();
                b.write(ascii(Integer.toHexString(second.length) + "\r\n"));
                b.write(second);
                b.write(ascii("\r\n0\r\n\r\n"));
                b.flush();
                for (Socket socket : new Socket[]{fixed, chunked}) {
                    String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(response.startsWith("HTTP/1.1 200 "), response);
                    assertTrue(response.contains("{\"predictions\":[{\"input\":1,\"label\":"), response);
                }
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the server stops");
            while (r.readLine() != null) {
                // the rest of the output
            }
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
