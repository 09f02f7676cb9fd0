package dev.nabla.cli;

import dev.nabla.io.Json;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Errors of a command run with {@code --json}: the usual {@code error:} line on stderr, and one JSON object on stdout,
 * {@code {"error": "...", "exit": 2}}, so that a script reading stdout as JSON gets an object on failure too.
 */
final class JsonErrors {

    private JsonErrors() {
    }

    /** Whether the command line asks for JSON output. */
    static boolean wanted(String[] args) {
        for (String a : args) {
            if (a.equals("--")) return false;
            if (a.equals("--json")) return true;
        }
        return false;
    }

    /** Reports {@code e} as {@link Errors#report} does, plus the JSON object when {@code json}; returns the status. */
    static int report(Throwable e, Io io, boolean json) {
        if (!json) return Errors.report(e, io.err());
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int status;
        try (PrintStream capture = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            status = Errors.report(e, capture);
        }
        String printed = text.toString(StandardCharsets.UTF_8);
        io.err().print(printed);
        print(io, firstLine(printed), status);
        return status;
    }

    /** The JSON object for an error line already printed (e.g. a flag picocli refused). */
    static void print(Io io, String errorLine, int status) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("error", errorLine.startsWith("error: ") ? errorLine.substring("error: ".length()) : errorLine);
        o.put("exit", status);
        io.out().println(Json.write(o, false));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
