package dev.nabla.cli;

import dev.nabla.optim.CosineAnnealing;
import dev.nabla.optim.ExponentialDecay;
import dev.nabla.optim.LearningRateSchedule;
import dev.nabla.optim.LinearWarmup;
import dev.nabla.optim.StepDecay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@code --lr-schedule NAME[:key=value...]}: how the learning rate changes from epoch to epoch, with PyTorch's names and
 * defaults ({@code torch.optim.lr_scheduler}): {@code cosine} (CosineAnnealingLR: {@code t_max}, {@code eta_min}),
 * {@code step} (StepLR: {@code step_size}, {@code gamma}), {@code exponential} (ExponentialLR: {@code gamma}),
 * {@code plateau} (ReduceLROnPlateau: {@code factor}, {@code patience}, {@code min_lr}), {@code constant}; any of them
 * with {@code warmup=N} epochs of linear warm-up first (LinearLR then the schedule, as SequentialLR chains them). A new
 * schedule is one entry of {@link #TYPES}.
 *
 * <p>{@link #resolve} fills in the defaults that depend on the run (cosine's {@code t_max}: the epochs after the
 * warm-up), so that the resolved form, saved in the model file, rebuilds the same schedule when training continues.
 */
final class LrScheduleSpec {

    static final String FLAG = "--lr-schedule";

    /** A schedule type: its keys with their defaults, given the epochs the schedule spans and the warm-up. */
    private record Type(List<String> keys, BiFunction<Integer, Integer, Map<String, Double>> defaults,
                        Function<Map<String, Double>, LearningRateSchedule> schedule) {
    }

    private static final Map<String, Type> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("cosine", new Type(List.of("t_max", "eta_min"),
                (epochs, warmup) -> values("t_max", (double) Math.max(1, epochs - warmup), "eta_min", 0.0),
                v -> new CosineAnnealing(whole(v, "t_max", 1), v.get("eta_min"))));
        TYPES.put("step", new Type(List.of("step_size", "gamma"),
                (epochs, warmup) -> values("step_size", (double) Math.max(1, (epochs - warmup) / 3), "gamma", 0.1),
                v -> new StepDecay(whole(v, "step_size", 1), v.get("gamma"))));
        TYPES.put("exponential", new Type(List.of("gamma"), (epochs, warmup) -> values("gamma", 0.9),
                v -> new ExponentialDecay(v.get("gamma"))));
        TYPES.put("plateau", new Type(List.of("factor", "patience", "min_lr"),
                (epochs, warmup) -> values("factor", 0.1, "patience", 10.0, "min_lr", 0.0), null));
        TYPES.put("constant", new Type(List.of(), (epochs, warmup) -> values(), v -> LearningRateSchedule.constant()));
    }

    /** What the help says. */
    static final String HELP = "cosine[:t_max=E:eta_min=X], step[:step_size=E:gamma=X], exponential[:gamma=X], "
            + "plateau[:factor=X:patience=E:min_lr=X] (on --monitor), constant; each may add :warmup=E";

    /** A schedule with every key set: {@code type}, its keys, and {@code warmup}. */
    record Resolved(String type, Map<String, Double> values, int warmup) {

        boolean plateau() {
            return TYPES.get(type).schedule() == null;
        }

        /** The schedule of a type that depends on the epoch alone (not {@link #plateau}). */
        LearningRateSchedule schedule() {
            LearningRateSchedule s = TYPES.get(type).schedule().apply(values);
            return warmup > 0 ? new LinearWarmup(warmup, s) : s;
        }

        /** As {@code --lr-schedule} would give it, e.g. {@code cosine:t_max=8:eta_min=0:warmup=2}. */
        String text() {
            StringBuilder sb = new StringBuilder(type);
            for (var e : values.entrySet()) sb.append(':').append(e.getKey()).append('=').append(Reports.number(e.getValue()));
            if (warmup > 0) sb.append(":warmup=").append(warmup);
            return sb.toString();
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("type", type);
            json.putAll(values);
            json.put("warmup", warmup);
            return json;
        }
    }

    /** What {@code --lr-schedule} said, before the run's defaults are filled in. */
    record Parsed(String type, Map<String, Double> given, Integer warmup) {
    }

    private LrScheduleSpec() {
    }

    /** Parses {@code --lr-schedule} ({@code none}: null); {@code warmupFlag} is {@code --warmup}, or null. */
    static Parsed parse(String spec, Integer warmupFlag) {
        if (warmupFlag != null && warmupFlag < 0) throw new UsageException("--warmup: must be 0 or more epochs, got " + warmupFlag);
        if (spec == null) return warmupFlag == null || warmupFlag == 0 ? null : new Parsed("constant", Map.of(), warmupFlag);
        String[] parts = spec.trim().split(":", -1);
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        if (type.equals("none")) {
            if (parts.length > 1 || warmupFlag != null) throw new UsageException(FLAG + " none: takes no settings and no --warmup");
            return null;
        }
        Type t = TYPES.get(type);
        if (t == null) {
            throw new UsageException(FLAG + ": unknown schedule '" + Printable.of(parts[0].trim()) + "' (known: "
                    + String.join(", ", TYPES.keySet()) + ", none)");
        }
        Map<String, Double> given = new LinkedHashMap<>();
        Integer warmup = warmupFlag;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq).trim().toLowerCase(Locale.ROOT).replace('-', '_');
            List<String> known = new ArrayList<>(t.keys());
            known.add("warmup");
            if (eq < 0 || !known.contains(key)) {
                throw new UsageException(FLAG + " " + Printable.of(spec) + ": bad setting '" + Printable.of(part) + "' (" + type
                        + " takes " + String.join(", ", known.stream().map(k -> k + "=...").toList()) + ")");
            }
            double value = number(spec, part, part.substring(eq + 1).trim());
            if (key.equals("warmup")) {
                if (warmupFlag != null) throw new UsageException(FLAG + " " + Printable.of(spec) + ": warmup given twice (also --warmup)");
                warmup = (int) whole(Map.of(key, value), key, 0);
            } else {
                given.put(key, value);
            }
        }
        Parsed parsed = new Parsed(type, given, warmup);
        if (t.schedule() == null && warmup != null && warmup > 0) {
            throw new UsageException(FLAG + " " + type + ": no warm-up with plateau (it follows the monitored value); "
                    + "use cosine, step, exponential or constant with a warm-up");
        }
        resolve(parsed, 1); // checks the values now, before any data is read
        return parsed;
    }

    /** The schedule for a run in which it spans {@code epochs} epochs: defaults filled in, values checked. */
    static Resolved resolve(Parsed p, int epochs) {
        Type t = TYPES.get(p.type());
        int warmup = p.warmup() == null ? 0 : p.warmup();
        Map<String, Double> values = new LinkedHashMap<>(t.defaults().apply(epochs, warmup));
        values.putAll(p.given());
        Resolved r = new Resolved(p.type(), values, warmup);
        try {
            if (t.schedule() != null) r.schedule();
            else check(values);
        } catch (IllegalArgumentException e) {
            throw new UsageException(FLAG + " " + p.type() + ": " + Errors.oneLine(e.getMessage()), e);
        }
        return r;
    }

    /** The schedule saved in a model file by {@link Resolved#toJson}. */
    static Resolved fromJson(Map<String, Object> json) {
        String type = (String) json.get("type");
        Type t = TYPES.get(type);
        if (t == null) throw new IllegalArgumentException("unknown learning-rate schedule '" + type + "'");
        Map<String, Double> values = new LinkedHashMap<>();
        for (String k : t.keys()) values.put(k, dev.nabla.io.Json.asDouble(json.get(k), "lr_schedule." + k));
        return new Resolved(type, values, (int) dev.nabla.io.Json.asLong(json.getOrDefault("warmup", 0L), "lr_schedule.warmup"));
    }

    private static void check(Map<String, Double> plateau) {
        double factor = plateau.get("factor");
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("factor must be in (0, 1), got " + Reports.number(factor));
        whole(plateau, "patience", 0);
        if (!(plateau.get("min_lr") >= 0)) throw new IllegalArgumentException("min_lr must be >= 0");
    }

    private static double number(String spec, String part, String text) {
        try {
            double v = Double.parseDouble(text);
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(FLAG + " " + Printable.of(spec) + ": '" + Printable.of(part) + "' needs a number");
    }

    static int whole(Map<String, Double> v, String key, int min) {
        double d = v.get(key);
        if (d != Math.rint(d) || d < min || d > 1_000_000) {
            throw new UsageException(FLAG + ": " + key + " must be a whole number >= " + min + ", got " + Reports.number(d));
        }
        return (int) d;
    }

    private static Map<String, Double> values(Object... keyValues) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], (Double) keyValues[i + 1]);
        return m;
    }
}
