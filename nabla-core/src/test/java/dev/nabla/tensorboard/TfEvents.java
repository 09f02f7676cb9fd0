package dev.nabla.tensorboard;

import dev.nabla.io.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Event files as {@code src/test/resources/tensorboard/read_tfevents.py} reads them: an independent reader in Python
 * (its own CRC-32C and protobuf decoding, no code shared with {@link EventFile}), run with {@code /usr/bin/python3}.
 */
final class TfEvents {

    static final Path SCRIPT = Path.of("src/test/resources/tensorboard/read_tfevents.py");

    /** What the reader said: its exit status, its JSON output or its error message. */
    record Reading(int status, String out, String err) {

        /** The events of the one file read; fails unless every record was whole and its CRCs matched. */
        List<Map<String, Object>> events() {
            assertTrue(status == 0, () -> "the reader refused the file: " + err);
            Map<String, Object> file = file();
            assertTrue(Json.asLong(file.get("partial_tail"), "partial_tail") == 0, "no partial record at the end: " + file.get("partial_tail"));
            List<Map<String, Object>> events = new ArrayList<>();
            for (Object e : Json.asArray(file.get("events"), "events")) events.add(Json.asObject(e, "event"));
            return events;
        }

        Map<String, Object> file() {
            List<Object> files = Json.asArray(Json.asObject(Json.parse(out), "reader output").get("files"), "files");
            return Json.asObject(files.get(0), "file");
        }
    }

    private TfEvents() {
    }

    static Reading read(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), file.toString()).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the reader finishes");
        return new Reading(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** The scalar events under {@code tag}: step to value, in file order. */
    static List<double[]> scalars(List<Map<String, Object>> events, String tag) {
        List<double[]> out = new ArrayList<>();
        for (Map<String, Object> e : events) {
            Object values = e.get("values");
            if (values == null) continue;
            for (Object v : Json.asArray(values, "values")) {
                Map<String, Object> value = Json.asObject(v, "value");
                if (tag.equals(value.get("tag")) && value.containsKey("simple_value")) {
                    out.add(new double[] {Json.asLong(e.get("step"), "step"), number(value.get("simple_value"))});
                }
            }
        }
        return out;
    }

    /** The histograms under {@code tag}, with their steps under "step". */
    static List<Map<String, Object>> histograms(List<Map<String, Object>> events, String tag) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> e : events) {
            Object values = e.get("values");
            if (values == null) continue;
            for (Object v : Json.asArray(values, "values")) {
                Map<String, Object> value = Json.asObject(v, "value");
                if (tag.equals(value.get("tag")) && value.containsKey("histo")) {
                    Map<String, Object> h = new java.util.LinkedHashMap<>(Json.asObject(value.get("histo"), "histo"));
                    h.put("step", e.get("step"));
                    out.add(h);
                }
            }
        }
        return out;
    }

    static double number(Object o) {
        if (o instanceof String s) return Double.parseDouble(s);
        return ((Number) o).doubleValue();
    }

    static double[] numbers(Object list) {
        return Json.asArray(list, "numbers").stream().mapToDouble(TfEvents::number).toArray();
    }
}
