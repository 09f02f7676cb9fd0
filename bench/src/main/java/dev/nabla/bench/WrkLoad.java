package dev.nabla.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One load level of {@link ServeWorkload} driven by {@code wrk} (Debian's package; {@code bench/run serve} installs it
 * where it can), a separate native process, so that the client's own cost does not share the JVM with the server:
 * measured here, the JDK's {@code HttpClient} spends about 2 ms of a request that the server answers in under 1 ms.
 */
final class WrkLoad {

    private WrkLoad() {
    }

    /** The {@code wrk} on the PATH, or null. */
    static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "wrk");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** POSTs the JSON {@code body} to {@code uri} from {@code concurrency} connections for {@code seconds}. */
    static ServeWorkload.Level run(Path wrk, URI uri, String body, int concurrency, double seconds)
            throws IOException, InterruptedException {
        return run(wrk, uri, body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"), concurrency, seconds);
    }

    /** POSTs {@code body} (any bytes) with {@code headers} to {@code uri} from {@code concurrency} connections for {@code seconds}. */
    static ServeWorkload.Level run(Path wrk, URI uri, byte[] body, Map<String, String> headers, int concurrency, double seconds)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile("nabla-wrk", ".lua");
        try {
            StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n");
            headers.forEach((k, v) -> lua.append("wrk.headers[").append(luaString(k.getBytes(StandardCharsets.UTF_8))).append("] = ")
                    .append(luaString(v.getBytes(StandardCharsets.UTF_8))).append('\n'));
            lua.append("wrk.body = ").append(luaString(body)).append('\n');
            Files.writeString(script, lua, StandardCharsets.UTF_8);
            int threads = Math.min(concurrency, 2);
            Process p = new ProcessBuilder(List.of(wrk.toString(), "-t", Integer.toString(threads), "-c",
                    Integer.toString(concurrency), "-d", Math.max(1, Math.round(seconds)) + "s", "--latency", "-s",
                    script.toString(), uri.toString())).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(Math.round(seconds) + 60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("wrk failed: " + out);
            }
            double rate = number(out, "Requests/sec:\\s+([0-9.]+)");
            long requests = (long) number(out, "(\\d+) requests in");
            long errors = 0;
            Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
            if (non2xx.find()) errors += Long.parseLong(non2xx.group(1));
            Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(out);
            if (socket.find()) {
                for (int g = 1; g <= 4; g++) errors += Long.parseLong(socket.group(g));
            }
            return new ServeWorkload.Level(requests, errors, rate, millis(out, "50%"), millis(out, "99%"));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** A Lua string literal of any bytes: printable ASCII as is, the rest as decimal escapes. */
    private static String luaString(byte[] bytes) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') sb.append((char) c);
            else sb.append('\\').append(String.format(Locale.ROOT, "%03d", c));
        }
        return sb.append('"').toString();
    }

    private static double number(String out, String regex) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) throw new IOException("wrk printed no '" + regex + "': " + out);
        return Double.parseDouble(m.group(1));
    }

    /** A latency percentile line of {@code --latency}, e.g. {@code 50%  332.00us}, in milliseconds. */
    private static double millis(String out, String percentile) throws IOException {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) throw new IOException("wrk printed no " + percentile + " latency: " + out);
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }
}
