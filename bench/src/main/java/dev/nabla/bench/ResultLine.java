package dev.nabla.bench;

import dev.nabla.io.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark result under construction: an ordered JSON object, {@link #put} chained, written by
 * {@link #toString()} as one line of compact JSON with Nabla's codec ({@link Json#write(Object)}).
 *
 * <p>A non-finite number (a diverged loss, a rate over a zero time) is written as {@code null}, where
 * {@link Json#write(Object)} would refuse it: a benchmark still reports its other figures.
 */
public final class ResultLine {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    /** Sets {@code key} to {@code value} (replacing an earlier value, which keeps its position). */
    public ResultLine put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** The fields as set so far, in order (a live view). */
    public Map<String, Object> fields() {
        return fields;
    }

    /** This result as one line of JSON. */
    @Override
    public String toString() {
        return Json.write(finite(fields));
    }

    /** {@code value} with every NaN or infinity (also inside maps, lists and double/float arrays) as null. */
    static Object finite(Object value) {
        if (value instanceof Double d) return Double.isFinite(d) ? d : null;
        if (value instanceof Float f) return Float.isFinite(f) ? f : null;
        if (value instanceof ResultLine r) return finite(r.fields);
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(e.getKey(), finite(e.getValue()));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object v : l) out.add(finite(v));
            return out;
        }
        if (value instanceof double[] a) {
            List<Object> out = new ArrayList<>(a.length);
            for (double d : a) out.add(finite(d));
            return out;
        }
        if (value instanceof float[] a) {
            List<Object> out = new ArrayList<>(a.length);
            for (float f : a) out.add(finite(f));
            return out;
        }
        return value;
    }
}
