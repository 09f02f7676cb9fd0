package dev.nabla.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which columns of a table are features: all but the label, or those {@code --columns} names, less those
 * {@code --ignore} names (the command line's flags, named in the messages). Features keep the file's column order.
 */
final class TableSelection {

    private TableSelection() {
    }

    /** The positions in {@code header} of the feature columns. */
    static int[] features(List<String> header, int label, List<String> columns, List<String> ignore, String file)
            throws DataException {
        if (header.size() < 2) {
            throw new DataException(file + ": the only column is the label '" + header.get(label)
                    + "'; there are no feature columns");
        }
        Set<String> chosen = columns == null ? null : names("--columns", columns, header, label, file);
        Set<String> ignored = ignore == null ? Set.of() : names("--ignore", ignore, header, label, file);
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            if (c == label || ignored.contains(header.get(c))) continue;
            if (chosen == null || chosen.contains(header.get(c))) out.add(c);
        }
        if (out.isEmpty()) {
            throw new DataException((columns != null ? "--columns" : "--ignore") + ": no feature columns are left in " + file
                    + " (columns: " + String.join(", ", header) + "; label: " + header.get(label) + ")");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Set<String> names(String flag, List<String> given, List<String> header, int label, String file)
            throws DataException {
        Set<String> out = new HashSet<>();
        for (String raw : given) {
            String name = raw.strip();
            if (!header.contains(name)) {
                throw new DataException(flag + ": no column '" + name + "' in " + file + " (columns: " + String.join(", ", header) + ")");
            }
            if (header.indexOf(name) == label) {
                throw new DataException(flag + ": '" + name + "' is the label column" + (flag.equals("--ignore")
                        ? " (pick another label with --label)" : "; it cannot be a feature too"));
            }
            out.add(name);
        }
        return out;
    }
}
