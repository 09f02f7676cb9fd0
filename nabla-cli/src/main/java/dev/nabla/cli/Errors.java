package dev.nabla.cli;

import dev.nabla.data.DataException;
import dev.nabla.io.JsonException;
import dev.nabla.io.ModelFormatException;
import dev.nabla.tensor.ShapeException;
import dev.nabla.train.NonFiniteLossException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns an exception into the command's exit status and one {@code error:} line: 2 for bad input (the user can fix
 * it: files, flags, data, settings), 1 for internal errors. {@code NABLA_DEBUG=1} adds the stack trace.
 */
final class Errors {

    static final int USAGE = 2;
    static final int INTERNAL = 1;

    private Errors() {
    }

    static int report(Throwable thrown, PrintStream err) {
        Throwable e = unwrap(thrown);
        boolean debug = "1".equals(System.getenv("NABLA_DEBUG")) || Boolean.getBoolean("nabla.debug");
        if (isUserError(e)) {
            err.println("error: " + message(e));
            if (debug) e.printStackTrace(err);
            return USAGE;
        }
        String what = e instanceof OutOfMemoryError
                ? "out of memory (" + oneLine(e.getMessage()) + "); try a smaller --batch-size or --image-size, or give "
                        + "Java more heap (JAVA_TOOL_OPTIONS=-Xmx8g)"
                : e.getClass().getName() + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage()));
        err.println("error: internal error: " + what + (debug ? "" : " (NABLA_DEBUG=1 shows the stack trace)"));
        if (debug) e.printStackTrace(err);
        return INTERNAL;
    }

    static boolean isUserError(Throwable e) {
        return e instanceof UsageException
                || e instanceof DataException
                || e instanceof ModelFormatException
                || e instanceof ShapeException
                || e instanceof IllegalArgumentException
                || e instanceof JsonException
                || e instanceof NonFiniteLossException
                || e instanceof CommandLine.ParameterException
                || e instanceof IOException;
    }

    /** The message of a user error, on one line, naming the file where the exception knows it. */
    static String message(Throwable e) {
        if (e instanceof NoSuchFileException f && f.getReason() == null) return "no such file or folder: " + Printable.of(f.getFile());
        if (e instanceof AccessDeniedException f && f.getReason() == null) return "permission denied: " + Printable.of(f.getFile());
        if (e instanceof FileSystemException f && f.getReason() != null && f.getMessage() != null) return oneLine(f.getMessage());
        if (e instanceof NonFiniteLossException) return "training diverged: " + oneLine(e.getMessage());
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getClass().getSimpleName();
        return oneLine(m);
    }

    /** On one line (line breaks become "; "), control characters from data or model files escaped. */
    static String oneLine(String s) {
        if (s == null) return "";
        return Printable.of(s.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; "));
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        for (int i = 0; i < 10; i++) {
            Throwable cause = t.getCause();
            if (cause == null) break;
            if (t instanceof CompletionException || t instanceof ExecutionException || t instanceof UncheckedIOException
                    || t instanceof InvocationTargetException || t instanceof CommandLine.ExecutionException) {
                t = cause;
            } else {
                break;
            }
        }
        return t;
    }
}
