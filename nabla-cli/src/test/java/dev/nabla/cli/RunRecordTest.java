package dev.nabla.cli;

import dev.nabla.io.Json;
import dev.nabla.train.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.nabla.cli.CliTestSupport.classificationCsv;
import static dev.nabla.cli.CliTestSupport.nabla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nabla train --run-dir / --dashboard} and {@code nabla dashboard}: the files a run leaves, the flags' errors. */
class RunRecordTest {

    @TempDir
    Path dir;

    private static List<Path> runFolders(Path root) throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.list(root)) {
            return s.sorted().toList();
        }
    }

    private static List<Map<String, Object>> events(Path runFolder) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(runFolder.resolve(RunFolder.METRICS), StandardCharsets.UTF_8)) {
            out.add(Json.asObject(Json.parse(line), "line"));
        }
        return out;
    }

    @Test
    void aRunIsRecordedBesideTheModelWithItsTestResultsAsEvaluateGivesThem() throws IOException {
        Path train = classificationCsv(dir, "train.csv", 90, 1, true);
        Path test = classificationCsv(dir, "test.csv", 45, 2, true);
        Path out = dir.resolve("iris.nabla");
        CliTestSupport.Run run = nabla("train", "--data", train, "--test", test, "--label", "species", "--epochs", "3",
                "--out", out, "--json");
        Map<String, Object> result = run.json();
        List<Path> runs = runFolders(dir.resolve("runs"));
        assertEquals(1, runs.size(), runs.toString());
        Path folder = runs.get(0);
        assertTrue(folder.getFileName().toString().matches("\\d{8}-\\d{6}_iris"), folder.toString());
        assertTrue(run.err().contains("Recording the run in " + folder), run.err());

        Map<String, Object> settings = Json.asObject(Json.parse(Files.readString(folder.resolve(RunFolder.SETTINGS))), "settings");
        assertEquals("nabla train", settings.get("command"));
        assertEquals("3", Json.asObject(settings.get("flags"), "flags").get("--epochs"));
        assertEquals(train.toString(), settings.get("data"));
        assertTrue(((String) settings.get("model_summary")).contains("Total params: "), settings.toString());
        assertEquals("cross-entropy", Json.asObject(settings.get("training"), "training").get("loss"));

        List<Map<String, Object>> events = events(folder);
        List<Map<String, Object>> epochs = events.stream().filter(e -> e.get("type").equals("epoch")).toList();
        List<Object> history = Json.asArray(result.get("history"), "history");
        assertEquals(3, epochs.size());
        for (int i = 0; i < 3; i++) {
            Map<String, Object> logs = Json.asObject(epochs.get(i).get("logs"), "logs");
            Map<String, Object> h = Json.asObject(history.get(i), "history");
            for (String k : List.of("loss", "accuracy", "val_loss", "val_accuracy")) assertEquals(h.get(k), logs.get(k), k);
        }
        Map<String, Object> end = events.stream().filter(e -> e.get("type").equals("train_end")).findFirst().orElseThrow();
        assertEquals("completed", end.get("status"));

        Map<String, Object> tested = events.get(events.size() - 1);
        assertEquals("test", tested.get("type"));
        assertEquals(45L, tested.get("samples"));
        Map<String, Object> evaluated = nabla("evaluate", "--model", out, "--data", test, "--label", "species", "--json").json();
        assertEquals(evaluated.get("confusion_matrix"), tested.get("confusion_matrix"));
        assertEquals(evaluated.get("per_class"), tested.get("per_class"));
        assertEquals(evaluated.get("auc"), tested.get("auc"));
        assertEquals(evaluated.get("accuracy"), Json.asObject(tested.get("metrics"), "metrics").get("accuracy"));
        assertEquals(Json.asObject(result.get("test"), "test"), tested.get("metrics"));

        // the same command again: a second folder, the first one untouched
        String before = Files.readString(folder.resolve(RunFolder.METRICS));
        assertEquals(0, nabla("train", "--data", train, "--label", "species", "--epochs", "1", "--out", out).code());
        assertEquals(2, runFolders(dir.resolve("runs")).size());
        assertEquals(before, Files.readString(folder.resolve(RunFolder.METRICS)));
    }

    @Test
    void runDirChoosesTheFolderAndNoneRecordsNothing() throws IOException {
        Path train = classificationCsv(dir, "train.csv", 60, 1, true);
        Path mine = dir.resolve("my").resolve("runs");
        assertEquals(0, nabla("train", "--data", train, "--epochs", "1", "--out", dir.resolve("a.nabla"), "--run-dir", mine).code());
        assertEquals(1, runFolders(mine).size());
        assertEquals(0, nabla("train", "--data", train, "--epochs", "1", "--out", dir.resolve("b.nabla"), "--run-dir", "none").code());
        assertFalse(Files.exists(dir.resolve("runs")), "--run-dir none: no runs folder");
    }

    @Test
    void badFlagsAndATakenPortAreErrorsBeforeTraining() throws IOException {
        Path train = classificationCsv(dir, "train.csv", 60, 1, true);
        Path out = dir.resolve("m.nabla");
        nabla("train", "--data", train, "--out", out, "--dashboard-exit").assertUsageError("--dashboard-exit", "only with --dashboard");
        nabla("train", "--data", train, "--out", out, "--dashboard", "70000").assertUsageError("--dashboard", "70000");
        Path file = Files.writeString(dir.resolve("file"), "x");
        nabla("train", "--data", train, "--out", out, "--run-dir", file).assertUsageError("--run-dir", "is not a folder");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            nabla("train", "--data", train, "--out", out, "--dashboard", port)
                    .assertUsageError("--dashboard " + port, "cannot listen on 127.0.0.1:" + port, "--dashboard 0");
        }
        assertFalse(Files.exists(out), "no model");
        assertFalse(Files.exists(dir.resolve("runs")), "no run folder");
        nabla("dashboard", dir.resolve("nowhere")).assertUsageError("nowhere", "no such folder");
    }

    @Test
    void dashboardTakesAnOptionalPort() {
        for (var c : List.of(
                new Object[]{new String[]{"train", "--data", "d.csv", "--dashboard", "--epochs", "3"}, 8050},
                new Object[]{new String[]{"train", "--data", "d.csv", "--dashboard", "0"}, 0},
                new Object[]{new String[]{"train", "--data", "d.csv", "--dashboard=9000"}, 9000},
                new Object[]{new String[]{"train", "--data", "d.csv"}, null})) {
            picocli.CommandLine cl = Main.commandLine(new Io(System.out, System.err));
            var parsed = cl.parseArgs((String[]) c[0]);
            TrainCommand train = (TrainCommand) parsed.subcommand().commandSpec().userObject();
            assertEquals(c[1], train.dashboard.dashboard, String.join(" ", (String[]) c[0]));
            if (c[1] != null && c[1].equals(8050)) assertEquals(3, train.epochs, "the next option is not taken for the port");
        }
    }

    /** Output streams that can be read while the command runs. */
    private static final class Live {
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        final AtomicInteger code = new AtomicInteger(-1);

        Thread start(Object... args) {
            String[] a = new String[args.length];
            for (int i = 0; i < args.length; i++) a[i] = args[i].toString();
            Thread t = new Thread(() -> code.set(Main.run(a, out, err)));
            t.start();
            return t;
        }

        String err() {
            synchronized (errBytes) {
                return errBytes.toString(StandardCharsets.UTF_8);
            }
        }

        String out() {
            synchronized (outBytes) {
                return outBytes.toString(StandardCharsets.UTF_8);
            }
        }

        /** The port of the first "http://127.0.0.1:PORT/" in {@code text()}, waiting up to 30 s. */
        int port(java.util.function.Supplier<String> text) throws InterruptedException {
            Pattern p = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/");
            for (int i = 0; i < 300; i++) {
                Matcher m = p.matcher(text.get());
                if (m.find()) return Integer.parseInt(m.group(1));
                Thread.sleep(100);
            }
            throw new AssertionError("no address printed: " + text.get());
        }
    }

    /** The data lines of /events until one holds {@code until}. */
    private static List<String> readEvents(int port, String until) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            List<String> data = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("data: ")) continue;
                data.add(line.substring(6));
                if (line.contains(until)) return data;
            }
            return data;
        }
    }

    @Test
    @Timeout(120)
    void theLiveDashboardStreamsWhatTheRunFolderKeepsAndServesOnUntilStopped() throws Exception {
        Path train = classificationCsv(dir, "train.csv", 90, 1, true);
        Path test = classificationCsv(dir, "test.csv", 30, 2, true);
        Live live = new Live();
        Thread command = live.start("train", "--data", train, "--test", test, "--label", "species", "--epochs", "4",
                "--out", dir.resolve("m.nabla"), "--dashboard", "0");
        int port = live.port(live::err);
        // the stream replays from the start whenever the page connects; training ends with the test event
        List<String> streamed = readEvents(port, "\"type\":\"test\"");
        for (int i = 0; i < 300 && !live.err().contains("keeps serving"); i++) Thread.sleep(100);
        assertTrue(live.err().contains("Training done; the dashboard keeps serving at http://127.0.0.1:" + port + "/"), live.err());
        assertTrue(command.isAlive(), "serving after training");

        Path folder = runFolders(dir.resolve("runs")).get(0);
        String id = folder.getFileName().toString();
        List<String> expected = new ArrayList<>();
        expected.add(Json.write(Map.of("run", id, "event", Map.of("type", "settings",
                "settings", Json.parse(Files.readString(folder.resolve(RunFolder.SETTINGS)))))));
        for (String line : Files.readAllLines(folder.resolve(RunFolder.METRICS))) expected.add("{\"run\":" + Json.write(id) + ",\"event\":" + line + "}");
        assertEquals(expected.size(), streamed.size());
        for (int i = 0; i < expected.size(); i++) assertEquals(Json.parse(expected.get(i)), Json.parse(streamed.get(i)), "event " + i);

        // a page opened now still gets it all
        assertEquals(streamed.size(), readEvents(port, "\"type\":\"test\"").size());
        command.interrupt();   // what Ctrl-C is to the command line
        command.join(30_000);
        assertEquals(0, live.code.get(), live.err());
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }

    @Test
    @Timeout(120)
    void dashboardExitEndsWithTrainingAndNablaDashboardShowsTheRecord() throws Exception {
        Path train = classificationCsv(dir, "train.csv", 60, 1, true);
        CliTestSupport.Run run = nabla("train", "--data", train, "--epochs", "2", "--out", dir.resolve("m.nabla"),
                "--dashboard", "0", "--dashboard-exit");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().matches("(?s)dashboard at http://127\\.0\\.0\\.1:\\d+/\\n.*"), run.err());

        Live live = new Live();
        Thread command = live.start("dashboard", dir.resolve("runs"), "--port", "0");
        int port = live.port(live::out);
        List<String> streamed = readEvents(port, "\"type\":\"train_end\"");
        assertTrue(streamed.get(0).contains("\"type\":\"settings\""), streamed.get(0));
        assertEquals(2, streamed.stream().filter(s -> s.contains("\"type\":\"epoch\"")).count());
        command.interrupt();
        command.join(30_000);
        assertEquals(0, live.code.get(), live.err());
    }
}
