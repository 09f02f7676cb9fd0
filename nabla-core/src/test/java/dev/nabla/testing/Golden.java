package dev.nabla.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reader for the PyTorch-generated golden fixtures under {@code src/test/resources/golden/}.
 *
 * <p>Format (see {@code make_golden.py}): {@code # comment}, {@code case <name>},
 * {@code param <key> <value>}, and {@code <tensor> <shape|scalar> <values...>} lines.
 * Regenerate with {@code /usr/bin/python3 nabla-core/src/test/resources/golden/make_golden.py}.
 */
public final class Golden {

    private Golden() {}

    /** A float32 tensor: row-major values; {@code shape.length == 0} for a scalar. */
    public record Tensor(int[] shape, float[] values) {
        public int size() {
            return values.length;
        }

        @Override
        public String toString() {
            return "Tensor" + Arrays.toString(shape) + "(" + values.length + " values)";
        }
    }

    /** One named case: op parameters plus named tensors, in file order. */
    public static final class Case {
        private final String source;
        private final String name;
        private final Map<String, String> params = new LinkedHashMap<>();
        private final Map<String, Tensor> tensors = new LinkedHashMap<>();

        Case(String source, String name) {
            this.source = source;
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** The tensor with this name; throws if the case has none. */
        public Tensor tensor(String tensorName) {
            Tensor t = tensors.get(tensorName);
            if (t == null) {
                throw new IllegalArgumentException("golden " + source + " case '" + name
                        + "' has no tensor '" + tensorName + "' (has " + tensors.keySet() + ")");
            }
            return t;
        }

        /** The parameter with this key; throws if the case has none. */
        public String param(String key) {
            String v = params.get(key);
            if (v == null) {
                throw new IllegalArgumentException("golden " + source + " case '" + name
                        + "' has no param '" + key + "' (has " + params.keySet() + ")");
            }
            return v;
        }

        /** A comma-separated integer parameter, e.g. {@code stride 2,1} → {@code {2, 1}}. */
        public int[] intsParam(String key) {
            String v = param(key);
            try {
                return Arrays.stream(v.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("golden " + source + " case '" + name
                        + "' param '" + key + "' is not a list of ints: '" + v + "'", e);
            }
        }

        /** Whether the case has a tensor or a parameter with this name. */
        public boolean has(String key) {
            return tensors.containsKey(key) || params.containsKey(key);
        }

        public Set<String> tensorNames() {
            return Collections.unmodifiableSet(tensors.keySet());
        }

        public Set<String> paramNames() {
            return Collections.unmodifiableSet(params.keySet());
        }

        @Override
        public String toString() {
            return source + ":" + name;
        }
    }

    /** Loads every case from classpath resource {@code /golden/<resourceName>}. */
    public static List<Case> load(String resourceName) {
        String path = "/golden/" + resourceName;
        InputStream in = Golden.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalArgumentException("golden resource not found on classpath: " + path);
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return parse(resourceName, r);
        } catch (IOException e) {
            throw new UncheckedIOException("reading golden resource " + path, e);
        }
    }

    /** Loads one case by name from {@code /golden/<resourceName>}; throws if absent. */
    public static Case load(String resourceName, String caseName) {
        List<Case> cases = load(resourceName);
        for (Case c : cases) {
            if (c.name().equals(caseName)) {
                return c;
            }
        }
        throw new IllegalArgumentException("golden " + resourceName + " has no case '" + caseName
                + "' (has " + cases.stream().map(Case::name).toList() + ")");
    }

    private static List<Case> parse(String source, BufferedReader r) throws IOException {
        List<Case> cases = new ArrayList<>();
        Case cur = null;
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ":" + lineNo;
            String[] tok = line.split("\\s+");
            if (tok[0].equals("case")) {
                if (tok.length != 2) {
                    throw new IllegalStateException(where + ": malformed case line: " + line);
                }
                cur = new Case(source, tok[1]);
                cases.add(cur);
                continue;
            }
            if (cur == null) {
                throw new IllegalStateException(where + ": record before first 'case' line");
            }
            if (tok[0].equals("param")) {
                if (tok.length != 3) {
                    throw new IllegalStateException(where + ": malformed param line: " + line);
                }
                if (cur.params.put(tok[1], tok[2]) != null) {
                    throw new IllegalStateException(where + ": duplicate param '" + tok[1] + "'");
                }
                continue;
            }
            if (tok.length < 2) {
                throw new IllegalStateException(where + ": tensor line without shape: " + line);
            }
            int[] shape = parseShape(tok[1], where);
            float[] values = new float[tok.length - 2];
            for (int i = 0; i < values.length; i++) {
                values[i] = parseFloat(tok[i + 2], where);
            }
            if (cur.tensors.put(tok[0], new Tensor(shape, values)) != null) {
                throw new IllegalStateException(where + ": duplicate tensor '" + tok[0] + "'");
            }
        }
        return cases;
    }

    private static int[] parseShape(String s, String where) {
        if (s.equals("scalar")) {
            return new int[0];
        }
        try {
            int[] shape = Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalStateException(where + ": negative dimension in shape " + s);
                }
            }
            return shape;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(where + ": bad shape '" + s + "'", e);
        }
    }

    private static float parseFloat(String s, String where) {
        switch (s.toLowerCase()) {
            case "nan": return Float.NaN;
            case "inf": case "+inf": return Float.POSITIVE_INFINITY;
            case "-inf": return Float.NEGATIVE_INFINITY;
            default:
                try {
                    return Float.parseFloat(s);
                } catch (NumberFormatException e) {
                    throw new IllegalStateException(where + ": bad float '" + s + "'", e);
                }
        }
    }

    /** Number of elements implied by a shape (1 for a scalar). */
    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
