package dev.nabla.bench;

import dev.nabla.io.Json;
import dev.nabla.io.JsonException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code Compare [FILE...]} reads benchmark JSON lines (Nabla's and PyTorch's, from the files or stdin) and prints a
 * table setting them side by side: workload, metric, Nabla, PyTorch and the ratio Nabla / PyTorch (above 1 means
 * Nabla is higher: faster for throughput, more memory for peak RSS). Lines that are not JSON objects are ignored.
 */
public final class Compare {

    private record Row(String workload, String metric, Double nabla, Double torch, int decimals) {
    }

    private Compare() {
    }

    public static void main(String[] args) throws IOException {
        List<String> lines = new ArrayList<>();
        if (args.length == 0) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) lines.add(line);
            }
        } else {
            for (String file : args) lines.addAll(Files.readAllLines(Path.of(file), StandardCharsets.UTF_8));
        }
        System.out.print(table(lines));
        System.out.flush();
    }

    /** The comparison table for the given result lines. */
    static String table(List<String> lines) {
        Map<String, List<Map<String, Object>>> nabla = new LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> torch = new LinkedHashMap<>();
        Set<String> workloads = new LinkedHashSet<>();
        for (String line : lines) {
            Map<String, Object> result = parseObject(line);
            if (result == null || !(result.get("workload") instanceof String workload)) continue;
            workloads.add(workload);
            boolean isTorch = "pytorch".equals(result.get("framework"));
            (isTorch ? torch : nabla).computeIfAbsent(workload, w -> new ArrayList<>()).add(result);
        }
        List<Row> rows = new ArrayList<>();
        for (String workload : workloads) {
            List<Map<String, Object>> ours = nabla.getOrDefault(workload, List.of());
            List<Map<String, Object>> theirs = torch.getOrDefault(workload, List.of());
            addGflops(rows, workload, ours, theirs);
            addMetric(rows, workload, "samples/s", "samples_per_s", ours, theirs, 1);
            addMetric(rows, workload, "test accuracy", "test_accuracy", ours, theirs, 4);
            Double rssOurs = max(ours, "peak_rss_mb");
            Double rssTheirs = max(theirs, "peak_rss_mb");
            if (rssOurs != null || rssTheirs != null) rows.add(new Row(workload, "peak RSS MB", rssOurs, rssTheirs, 0));
        }
        return format(rows);
    }

    private static void addGflops(List<Row> rows, String workload, List<Map<String, Object>> ours,
                                  List<Map<String, Object>> theirs) {
        Map<String, Object> torchGflops = null;
        for (Map<String, Object> r : theirs) {
            if (r.get("gflops") instanceof Map<?, ?> g) {
                torchGflops = cast(g);
                break;
            }
        }
        boolean any = false;
        for (Map<String, Object> r : ours) {
            if (!(r.get("gflops") instanceof Map<?, ?> g)) continue;
            any = true;
            String kernel = r.get("kernel") instanceof String k ? " [" + k + "]" : "";
            for (Map.Entry<String, Object> e : cast(g).entrySet()) {
                Double theirsValue = torchGflops == null ? null : number(torchGflops.get(e.getKey()));
                rows.add(new Row(workload, "GFLOP/s " + e.getKey() + kernel, number(e.getValue()), theirsValue, 1));
            }
        }
        if (!any && torchGflops != null) {
            for (Map.Entry<String, Object> e : torchGflops.entrySet()) {
                rows.add(new Row(workload, "GFLOP/s " + e.getKey(), null, number(e.getValue()), 1));
            }
        }
    }

    private static void addMetric(List<Row> rows, String workload, String label, String key,
                                  List<Map<String, Object>> ours, List<Map<String, Object>> theirs, int decimals) {
        Double a = first(ours, key);
        Double b = first(theirs, key);
        if (a != null || b != null) rows.add(new Row(workload, label, a, b, decimals));
    }

    private static String format(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[]{"workload", "metric", "Nabla", "PyTorch", "Nabla/PyTorch"});
        for (Row r : rows) {
            String ratio = r.nabla != null && r.torch != null && r.torch != 0
                    ? String.format(Locale.ROOT, "%.2f", r.nabla / r.torch) : "-";
            cells.add(new String[]{r.workload, r.metric, fixed(r.nabla, r.decimals), fixed(r.torch, r.decimals), ratio});
        }
        int[] width = new int[5];
        for (String[] row : cells) {
            for (int c = 0; c < 5; c++) width[c] = Math.max(width[c], row[c].length());
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String[] row = cells.get(i);
            out.append(pad(row[0], width[0], false)).append("  ").append(pad(row[1], width[1], false));
            for (int c = 2; c < 5; c++) out.append("  ").append(pad(row[c], width[c], true));
            out.append('\n');
            if (i == 0) {
                int total = width[0] + width[1] + width[2] + width[3] + width[4] + 8;
                out.append("-".repeat(total)).append('\n');
            }
        }
        return out.toString();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    private static String fixed(Double value, int decimals) {
        return value == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static Double first(List<Map<String, Object>> results, String key) {
        for (Map<String, Object> r : results) {
            Double v = number(r.get(key));
            if (v != null) return v;
        }
        return null;
    }

    private static Double max(List<Map<String, Object>> results, String key) {
        Double best = null;
        for (Map<String, Object> r : results) {
            Double v = number(r.get(key));
            if (v != null && (best == null || v > best)) best = v;
        }
        return best;
    }

    private static Double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Map<String, Object> parseObject(String line) {
        String trimmed = line.trim();
        if (!trimmed.startsWith("{")) return null;
        try {
            return Json.parse(trimmed) instanceof Map<?, ?> map ? cast(map) : null;
        } catch (JsonException notJson) {
            return null;
        }
    }
}
