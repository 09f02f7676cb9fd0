package dev.nabla.cli;

import dev.nabla.io.Json;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One {@code nabla train ... --json} run through the launcher in a JVM of its own with a small heap
 * ({@code NABLA_JAVA_OPTS=-Xmx...m}) and the serial collector, whose log then shows exactly what stays alive after a
 * full collection: the memory training needs. For the larger-than-heap tests of each kind of streamed data.
 *
 * @param json        the run's last stdout line, its {@code --json} summary
 * @param stderr      what it printed on stderr (the training summary)
 * @param collections how many collections the log shows
 * @param live        the most bytes alive after a full collection (after any, where there was no full one)
 * @param capacity    the largest heap capacity the log shows
 */
record BoundedHeapTraining(Map<String, Object> json, String stderr, int collections, long live, long capacity) {

    // "[9.924s][info][gc] GC(15) Pause Full (Allocation Failure) 84M->16M(92M) 60.9ms"
    private static final Pattern PAUSE =
            Pattern.compile("Pause (Young|Full).* (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    /** Runs {@code nabla train} with {@code arguments} (and {@code --json}) under {@code heapMib}; checks it exits 0. */
    static BoundedHeapTraining train(Path dir, int heapMib, List<String> arguments) throws Exception {
        Path gcLog = dir.resolve("gc.log");
        Path stderrFile = dir.resolve("stderr.txt");
        List<String> command = new ArrayList<>();
        command.add(Path.of("..", "nabla").toAbsolutePath().normalize().toString());
        command.add("train");
        command.addAll(arguments);
        command.add("--json");
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("NABLA_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("NABLA_JAVA_OPTS", "-Xmx" + heapMib + "m -XX:+UseSerialGC -Xlog:gc:file=" + gcLog);
        pb.redirectError(stderrFile.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "training finished");
        String err = Files.readString(stderrFile);
        assertEquals(0, p.exitValue(), () -> "exit status; stderr:\n" + err);
        String[] lines = new String(out, StandardCharsets.UTF_8).strip().split("\\R");
        Map<String, Object> json = Json.asObject(Json.parse(lines[lines.length - 1]), "stdout");

        Matcher m = PAUSE.matcher(Files.readString(gcLog));
        long maxAfterFull = -1;
        long maxAfterAny = 0;
        long maxCapacity = 0;
        int collections = 0;
        while (m.find()) {
            collections++;
            long after = bytes(m.group(4), m.group(5));
            if (m.group(1).equals("Full")) maxAfterFull = Math.max(maxAfterFull, after);
            maxAfterAny = Math.max(maxAfterAny, after);
            maxCapacity = Math.max(maxCapacity, bytes(m.group(6), m.group(7)));
        }
        return new BoundedHeapTraining(json, err, collections, maxAfterFull >= 0 ? maxAfterFull : maxAfterAny,
                maxCapacity);
    }

    /** The first epoch's validation accuracy in the summary. */
    double firstValAccuracy() {
        List<Object> history = Json.asArray(json.get("history"), "history");
        return Json.asDouble(Json.asObject(history.get(0), "epoch").get("val_accuracy"), "val_accuracy");
    }

    private static long bytes(String value, String unit) {
        long v = Long.parseLong(value);
        return switch (unit) {
            case "K" -> v << 10;
            case "M" -> v << 20;
            default -> v << 30;
        };
    }
}
