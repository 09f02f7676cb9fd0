package dev.nabla.cli;

import java.io.PrintStream;

/**
 * Where a command writes: {@code out} for results (tables, JSON), {@code err} for progress, messages and errors.
 */
public record Io(PrintStream out, PrintStream err) {

    /**
     * Whether progress bars may redraw in place with carriage returns: when stderr is a terminal. The launcher tells
     * ({@code -Dnabla.progress=live|lines}, from {@code [ -t 2 ]}); otherwise a console must be attached.
     */
    boolean liveProgress() {
        if (err != System.err) return false;
        String p = System.getProperty("nabla.progress");
        if (p != null) return p.equals("live");
        java.io.Console console = System.console();
        if (console == null) return false;
        try {
            // Console.isTerminal() (Java 22+): since 22 System.console() is not null even when redirected
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
