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
 * {@code Compare [FILE...]} reads benchmark JSON lines (Nabla's and its peers', from the files or stdin) and prints a
 * table setting them side by side: workload, metric, Nabla, then for each peer that has lines (PyTorch, DJL) its value
 * and the ratio Nabla / peer (above 1 means Nabla is higher: faster for throughput, more memory for peak RSS). Lines
 * that are not JSON objects, or name a framework the table does not know, are ignored.
 */
public final class Compare {

    /** A framework compared with Nabla: its {@code "framework"} value in the result lines and its column title. */
    record Peer(String framework, String title) {
    }

    /** The peers, in column order; a new peer is one more entry here. */
    static final List<Peer> PEERS = List.of(new Peer("pytorch", "PyTorch"), new Peer("djl", "DJL"));

    private static final String NABLA = "nabla";

    /** One metric of one workload: Nabla's value and each peer's (null where it has none). */
    private record Row(String workload, String metric, Double nabla, Map<String, Double> peers, int decimals) {
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
        // framework -> workload -> that framework's lines for the workload
        Map<String, Map<String, List<Map<String, Object>>>> byFramework = new LinkedHashMap<>();
        Set<String> workloads = new LinkedHashSet<>();
        for (String line : lines) {
            Map<String, Object> result = parseObject(line);
            if (result == null || !(result.get("workload") instanceof String workload)) continue;
            String framework = result.get("framework") instanceof String f ? f : NABLA;
            if (!framework.equals(NABLA) && PEERS.stream().noneMatch(p -> p.framework().equals(framework))) continue;
            workloads.add(workload);
            byFramework.computeIfAbsent(framework, f -> new LinkedHashMap<>())
                    .computeIfAbsent(workload, w -> new ArrayList<>()).add(result);
        }
        List<Peer> present = new ArrayList<>();
        for (Peer peer : PEERS) if (byFramework.containsKey(peer.framework())) present.add(peer);
        // no peer line at all (a peer's run failed): PyTorch's columns, empty, as before there were several peers
        if (present.isEmpty()) present.add(PEERS.get(0));
        List<Row> rows = new ArrayList<>();
        Set<String> peaks = new LinkedHashSet<>();
        for (String workload : workloads) {
            List<Map<String, Object>> ours = lines(byFramework, NABLA, workload);
            Map<String, List<Map<String, Object>>> theirs = new LinkedHashMap<>();
            for (Peer peer : present) theirs.put(peer.framework(), lines(byFramework, peer.framework(), workload));
            Double perCore = first(ours, "peak_gflops_per_core");
            if (perCore != null) {
                String source = ours.stream().map(r -> r.get("peak_source")).filter(s -> s instanceof String)
                        .map(String.class::cast).findFirst().orElse("assumed");
                peaks.add(Peak.describe(perCore, source));
            }
            addGflops(rows, workload, ours, theirs, perCore);
            addMetric(rows, workload, "samples/s", "samples_per_s", ours, theirs, 1);
            addAchieved(rows, workload, ours, theirs, perCore);
            addMetric(rows, workload, "test accuracy", "test_accuracy", ours, theirs, 4);
            Double rssOurs = max(ours, "peak_rss_mb");
            Map<String, Double> rssTheirs = new LinkedHashMap<>();
            for (Map.Entry<String, List<Map<String, Object>>> e : theirs.entrySet()) {
                rssTheirs.put(e.getKey(), max(e.getValue(), "peak_rss_mb"));
            }
            if (rssOurs != null || anyValue(rssTheirs)) rows.add(new Row(workload, "peak RSS MB", rssOurs, rssTheirs, 0));
        }
        StringBuilder out = new StringBuilder(format(rows, present));
        for (String peak : peaks) out.append(peak).append('\n');
        return out.toString();
    }

    /**
     * The achieved GFLOP/s and fraction of peak of a workload whose Nabla line counts its FLOPs per sample: the peers
     * run the same network, so theirs are their samples/s times Nabla's count, over their threads times the same
     * per-core peak.
     */
    private static void addAchieved(List<Row> rows, String workload, List<Map<String, Object>> ours,
                                    Map<String, List<Map<String, Object>>> theirs, Double perCore) {
        Double flops = first(ours, "flops_per_sample");
        if (flops == null) return;
        Map<String, Double> gflops = new LinkedHashMap<>();
        Map<String, Double> fraction = new LinkedHashMap<>();
        for (Map.Entry<String, List<Map<String, Object>>> e : theirs.entrySet()) {
            Double rate = first(e.getValue(), "samples_per_s");
            Double g = rate == null ? null : rate * flops * 1e-9;
            gflops.put(e.getKey(), g);
            fraction.put(e.getKey(), fractionOfPeak(g, first(e.getValue(), "threads"), perCore));
        }
        rows.add(new Row(workload, "GFLOP/s achieved", first(ours, "gflops"), gflops, 1));
        rows.add(new Row(workload, "fraction of peak", first(ours, "fraction_of_peak"), fraction, 3));
    }

    private static Double fractionOfPeak(Double gflops, Double threads, Double perCore) {
        if (gflops == null || threads == null || perCore == null || threads <= 0) return null;
        return gflops / (threads * perCore);
    }

    private static List<Map<String, Object>> lines(Map<String, Map<String, List<Map<String, Object>>>> byFramework,
                                                   String framework, String workload) {
        return byFramework.getOrDefault(framework, Map.of()).getOrDefault(workload, List.of());
    }

    private static void addGflops(List<Row> rows, String workload, List<Map<String, Object>> ours,
                                  Map<String, List<Map<String, Object>>> theirs, Double perCore) {
        Map<String, Map<String, Object>> peerGflops = new LinkedHashMap<>();
        Map<String, Double> peerThreads = new LinkedHashMap<>();
        for (Map.Entry<String, List<Map<String, Object>>> e : theirs.entrySet()) {
            for (Map<String, Object> r : e.getValue()) {
                if (r.get("gflops") instanceof Map<?, ?> g) {
                    peerGflops.put(e.getKey(), cast(g));
                    peerThreads.put(e.getKey(), number(r.get("threads")));
                    break;
                }
            }
        }
        boolean any = false;
        for (Map<String, Object> r : ours) {
            if (!(r.get("gflops") instanceof Map<?, ?> g)) continue;
            any = true;
            String kernel = r.get("kernel") instanceof String k ? " [" + k + "]" : "";
            Map<String, Object> fractions = r.get("fraction_of_peak") instanceof Map<?, ?> f ? cast(f) : Map.of();
            for (Map.Entry<String, Object> e : cast(g).entrySet()) {
                Map<String, Double> peers = peerValues(theirs.keySet(), peerGflops, e.getKey());
                rows.add(new Row(workload, "GFLOP/s " + e.getKey() + kernel, number(e.getValue()), peers, 1));
                if (!fractions.containsKey(e.getKey())) continue;
                Map<String, Double> peerFractions = new LinkedHashMap<>();
                for (Map.Entry<String, Double> p : peers.entrySet()) {
                    peerFractions.put(p.getKey(), fractionOfPeak(p.getValue(), peerThreads.get(p.getKey()), perCore));
                }
                rows.add(new Row(workload, "fraction of peak " + e.getKey() + kernel, number(fractions.get(e.getKey())),
                        peerFractions, 3));
            }
        }
        if (!any) {
            // no Nabla line: the shapes the peers measured, in the order they first appear
            Set<String> shapes = new LinkedHashSet<>();
            for (Map<String, Object> g : peerGflops.values()) shapes.addAll(g.keySet());
            for (String shape : shapes) {
                rows.add(new Row(workload, "GFLOP/s " + shape, null, peerValues(theirs.keySet(), peerGflops, shape), 1));
            }
        }
    }

    private static Map<String, Double> peerValues(Set<String> peers, Map<String, Map<String, Object>> peerGflops,
                                                  String shape) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String peer : peers) {
            Map<String, Object> g = peerGflops.get(peer);
            values.put(peer, g == null ? null : number(g.get(shape)));
        }
        return values;
    }

    private static void addMetric(List<Row> rows, String workload, String label, String key,
                                  List<Map<String, Object>> ours, Map<String, List<Map<String, Object>>> theirs,
                                  int decimals) {
        Double a = first(ours, key);
        Map<String, Double> b = new LinkedHashMap<>();
        for (Map.Entry<String, List<Map<String, Object>>> e : theirs.entrySet()) b.put(e.getKey(), first(e.getValue(), key));
        if (a != null || anyValue(b)) rows.add(new Row(workload, label, a, b, decimals));
    }

    private static boolean anyValue(Map<String, Double> values) {
        for (Double v : values.values()) if (v != null) return true;
        return false;
    }

    private static String format(List<Row> rows, List<Peer> peers) {
        int columns = 3 + 2 * peers.size();
        List<String[]> cells = new ArrayList<>();
        String[] header = new String[columns];
        header[0] = "workload";
        header[1] = "metric";
        header[2] = "Nabla";
        for (int i = 0; i < peers.size(); i++) {
            header[3 + 2 * i] = peers.get(i).title();
            header[4 + 2 * i] = "Nabla/" + peers.get(i).title();
        }
        cells.add(header);
        for (Row r : rows) {
            String[] row = new String[columns];
            row[0] = r.workload;
            row[1] = r.metric;
            row[2] = fixed(r.nabla, r.decimals);
            for (int i = 0; i < peers.size(); i++) {
                Double theirs = r.peers.get(peers.get(i).framework());
                row[3 + 2 * i] = fixed(theirs, r.decimals);
                row[4 + 2 * i] = r.nabla != null && theirs != null && theirs != 0
                        ? String.format(Locale.ROOT, "%.2f", r.nabla / theirs) : "-";
            }
            cells.add(row);
        }
        int[] width = new int[columns];
        for (String[] row : cells) {
            for (int c = 0; c < columns; c++) width[c] = Math.max(width[c], row[c].length());
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String[] row = cells.get(i);
            out.append(pad(row[0], width[0], false)).append("  ").append(pad(row[1], width[1], false));
            for (int c = 2; c < columns; c++) out.append("  ").append(pad(row[c], width[c], true));
            out.append('\n');
            if (i == 0) {
                int total = 2 * (columns - 1);
                for (int w : width) total += w;
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
