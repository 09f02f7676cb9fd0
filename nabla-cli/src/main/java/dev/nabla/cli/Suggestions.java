package dev.nabla.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * "Did you mean" for a mistyped option or command: {@code nabla trian} gets {@code unknown command 'trian'; did you
 * mean train?}, {@code --epoch 3} {@code unknown option '--epoch' for nabla train; did you mean --epochs?}. An unknown
 * option is reported even where picocli would first complain about a missing required one ({@code --modle m.nabla}
 * is the likelier mistake than a forgotten {@code --model}). Candidates are the names within a small edit distance
 * (insertions, deletions, substitutions and swaps of neighbours), or the one name the token begins.
 */
final class Suggestions {

    private Suggestions() {
    }

    /** The error message (without {@code error: }) for a command line picocli refused. */
    static String message(CommandLine.ParameterException ex, String[] args) {
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        String unknown = null;
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            unknown = u.getUnmatched().get(0);
        } else if (ex instanceof CommandLine.MissingParameterException) {
            unknown = unknownOption(spec, args);
        }
        if (unknown == null) return Errors.oneLine(ex.getMessage());
        if (isOption(unknown)) {
            String name = unknown.contains("=") ? unknown.substring(0, unknown.indexOf('=')) : unknown;
            if (spec.optionsMap().containsKey(name)) return Errors.oneLine(ex.getMessage());
            return Errors.oneLine("unknown option '" + name + "' for " + spec.qualifiedName() + didYouMean(name, spec.optionsMap().keySet()));
        }
        if (!spec.subcommands().isEmpty()) {
            return Errors.oneLine("unknown command '" + unknown + "' for " + spec.qualifiedName() + didYouMean(unknown, spec.subcommands().keySet()));
        }
        return Errors.oneLine("unexpected argument '" + unknown + "' for " + spec.qualifiedName());
    }

    /** The first option-like argument that the command does not have, skipping the values of its options. */
    private static String unknownOption(CommandSpec spec, String[] args) {
        boolean skipValue = false;
        for (String a : args) {
            if (a.equals("--")) return null;
            if (skipValue) {
                skipValue = false;
                continue;
            }
            if (!isOption(a)) continue;
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            OptionSpec option = spec.optionsMap().get(name);
            if (option == null) {
                // an option of an enclosing command (nabla --help) is not this command's business
                if (spec.parent() != null && spec.parent().optionsMap().containsKey(name)) continue;
                return a;
            }
            skipValue = !a.contains("=") && option.arity().min() > 0;
        }
        return null;
    }

    private static boolean isOption(String s) {
        return s.length() > 1 && s.startsWith("-") && !Character.isDigit(s.charAt(1)) && s.charAt(1) != '.';
    }

    /** {@code "; did you mean X?"} (or {@code "X or Y"}), or nothing when no name is close. */
    static String didYouMean(String token, Iterable<String> names) {
        List<String> close = closest(token, names);
        if (close.isEmpty()) return "";
        return "; did you mean " + String.join(" or ", close) + "?";
    }

    /** The names nearest to {@code token} within the allowed distance (at most two), else the one it begins. */
    static List<String> closest(String token, Iterable<String> names) {
        String t = token.toLowerCase(Locale.ROOT);
        String bare = t.replaceFirst("^-+", "");
        int allowed = bare.length() <= 3 ? 1 : bare.length() <= 7 ? 2 : 3;
        int best = Integer.MAX_VALUE;
        TreeSet<String> nearest = new TreeSet<>();
        List<String> extending = new ArrayList<>();
        for (String name : names) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.startsWith(t) && bare.length() >= 2) extending.add(name);
            int d = distance(t, n);
            if (d > allowed) continue;
            if (d < best) {
                best = d;
                nearest.clear();
            }
            if (d == best) nearest.add(name);
        }
        if (!nearest.isEmpty()) return new ArrayList<>(nearest).subList(0, Math.min(2, nearest.size()));
        return extending.size() == 1 ? extending : List.of();
    }

    /** Edit distance with swaps of neighbours (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
