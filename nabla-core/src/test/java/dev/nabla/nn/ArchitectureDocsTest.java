package dev.nabla.nn;

import dev.nabla.io.Json;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code docs/architecture.md} matches the code: its table of layer types is the one {@link LayerTable} makes from
 * the registry, and every JSON example marked {@code <!-- check: ... -->} reads and runs. After adding or changing a
 * layer, rewrite the table with
 * {@code mvn -B -q -ntp -o test -pl nabla-core -Dtest=ArchitectureDocsTest -Dnabla.docs.update=true}.
 */
class ArchitectureDocsTest {

    private static final String UPDATE_PROPERTY = "nabla.docs.update";
    /** {@code <!-- check: arch [1, 28, 28] -->} (an --arch file for samples of that shape) or {@code <!-- check: model -->}. */
    private static final Pattern CHECKED = Pattern.compile("<!-- check: (arch (\\[[0-9, ]+\\])|model) -->\\s*```json\\n(.*?)```", Pattern.DOTALL);

    static Path doc() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isDirectory(p.resolve("nabla-core")) && Files.isRegularFile(p.resolve("pom.xml")))) p = p.getParent();
        assertNotNull(p, "cannot find the repository root above " + Path.of("").toAbsolutePath());
        Path doc = p.resolve("docs/architecture.md");
        assertTrue(Files.isRegularFile(doc), doc + " is missing");
        return doc;
    }

    @Test
    void layerTableIsTheRegistrys() throws IOException {
        Path doc = doc();
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(LayerTable.BEGIN);
        int end = text.indexOf(LayerTable.END);
        assertTrue(begin >= 0 && end > begin, doc + " has no layer table between the markers " + LayerTable.BEGIN + " and " + LayerTable.END);
        String table = LayerTable.render();
        String inDoc = text.substring(begin, end + LayerTable.END.length());
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.writeString(doc, text.substring(0, begin) + table + text.substring(end + LayerTable.END.length()), StandardCharsets.UTF_8);
            return;
        }
        assertEquals(table, inDoc, doc + ": the layer table differs from the registered layers; rewrite it with "
                + "mvn -B -q -ntp -o test -pl nabla-core -Dtest=ArchitectureDocsTest -D" + UPDATE_PROPERTY + "=true");
    }

    @Test
    void tableListsEveryBuiltInTypeWithItsKeys() {
        String table = LayerTable.render();
        assertTrue(LayerTable.builtIn().size() >= 20, "built-in layer types: " + Layers.registry().names());
        for (var r : LayerTable.builtIn()) assertTrue(table.contains("| `" + r.name() + "`"), r.name());
        assertTrue(table.contains("`kernel_size`: int or list |") || table.contains("`kernel_size`: int or list<br>"), table);
        assertTrue(table.contains("`use_bias`: boolean = `true`"), table);
    }

    @Test
    void checkedExamplesReadAndRun() throws IOException {
        Matcher m = CHECKED.matcher(Files.readString(doc(), StandardCharsets.UTF_8));
        int checked = 0;
        while (m.find()) {
            String json = m.group(3);
            @SuppressWarnings("unchecked")
            Map<String, Object> value = (Map<String, Object>) Json.parse(json);
            String where = "docs/architecture.md example " + (checked + 1);
            Module network;
            int[] shape = null;
            if (m.group(2) != null) {
                shape = shape(m.group(2));
                network = Architecture.fromSpec(value, shape, null, where);
            } else {
                network = Architecture.fromJson(value, where);
            }
            run(network, shape, where);
            // what a model file would hold reads back as the same network
            Module again = Architecture.fromJson(Architecture.toJson(network), where + " written back");
            assertEquals(Architecture.toJson(network), Architecture.toJson(again), where);
            checked++;
        }
        assertTrue(checked >= 5, "checked examples in docs/architecture.md: " + checked);
    }

    private static void run(Module network, int[] shape, String where) {
        List<Tensor> inputs = new ArrayList<>();
        if (network instanceof Graph g) {
            for (Node in : g.inputs()) inputs.add(Tensor.ones(batch(in.shape())));
        } else {
            Sequential seq = (Sequential) network;
            inputs.add(Tensor.ones(batch(shape != null ? shape : seq.inputShape())));
        }
        Tensor out = network.forward(inputs);
        assertEquals(2, out.shape(0), where);
        if (network instanceof Graph g && g.outputs().size() == 1) {
            int[] declared = g.outputs().values().iterator().next().shape();
            assertArrayEquals(batch(declared), out.shape(), where);
        }
    }

    private static int[] batch(int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = 2;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }

    private static int[] shape(String list) {
        String[] parts = list.replaceAll("[\\[\\] ]", "").split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Integer.parseInt(parts[i]);
        if (out.length == 0) fail("empty shape " + list);
        return out;
    }
}
