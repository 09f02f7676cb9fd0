package dev.nabla.nn;

import dev.nabla.config.ConfigCodec;
import dev.nabla.config.Registration;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The table of layer types in {@code docs/architecture.md}, made from the registry ({@link Layers#registry()}) and
 * the configuration records ({@link ConfigCodec#fields}), so the documentation lists exactly the types, keys and
 * defaults the code reads. {@link ArchitectureDocsTest} fails when the file's table differs from this one.
 */
final class LayerTable {

    static final String BEGIN = "<!-- layer table: generated from Layers.registry(), see ArchitectureDocsTest -->";
    static final String END = "<!-- end of layer table -->";

    private LayerTable() {
    }

    /** The Markdown table, markers included, of the layer types Nabla itself registers. */
    static String render() {
        StringBuilder sb = new StringBuilder(BEGIN).append('\n');
        sb.append("| type | keys: type = default (no default: required) | command line | what it does |\n");
        sb.append("|---|---|---|---|\n");
        for (Registration<Layer> r : builtIn()) {
            StringBuilder type = new StringBuilder("`").append(r.name()).append('`');
            if (!r.aliases().isEmpty()) {
                List<String> aliases = new ArrayList<>();
                for (String a : r.aliases()) aliases.add("`" + a + "`");
                type.append(" (also ").append(String.join(", ", aliases)).append(')');
            }
            List<String> keys = new ArrayList<>();
            for (ConfigCodec.Field f : ConfigCodec.fields(r.configType())) {
                keys.add("`" + f.key() + "`: " + typeName(f.type()) + (f.required() ? "" : " = `" + f.defaultText() + "`"));
            }
            sb.append("| ").append(type)
                    .append(" | ").append(keys.isEmpty() ? "none" : String.join("<br>", keys))
                    .append(" | `").append(r.tokenForm()).append('`')
                    .append(" | ").append(r.summary().replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.append(END).toString();
    }

    /**
     * The registrations whose configuration records come from the same place as {@link Layers} (nabla-core's own
     * classes), in registration order: layers that tests or programs in the same JVM register are left out.
     */
    static List<Registration<Layer>> builtIn() {
        CodeSource core = Layers.class.getProtectionDomain().getCodeSource();
        List<Registration<Layer>> out = new ArrayList<>();
        for (Registration<Layer> r : Layers.registry().all()) {
            CodeSource source = r.configType().getProtectionDomain().getCodeSource();
            if (Objects.equals(source == null ? null : source.getLocation(), core == null ? null : core.getLocation())) out.add(r);
        }
        return out;
    }

    private static String typeName(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) return "int";
        if (type == float.class || type == Float.class || type == double.class || type == Double.class) return "number";
        if (type == boolean.class || type == Boolean.class) return "boolean";
        if (type == String.class) return "string";
        if (type == int[].class) return "int or list";
        if (type == float[].class) return "number or list";
        return type.getSimpleName().toLowerCase(Locale.ROOT);
    }
}
