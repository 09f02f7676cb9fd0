package dev.nabla.tensorboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This machine's name for event file names, without a network lookup ({@code InetAddress.getLocalHost()} can wait
 * seconds on a resolver): {@code HOSTNAME}, else the kernel's, else {@code localhost}; characters other than letters,
 * digits, {@code .}, {@code -} and {@code _} become {@code _}.
 */
final class HostName {

    private static volatile String name;

    private HostName() {
    }

    static String get() {
        String n = name;
        if (n == null) name = n = sanitize(find());
        return n;
    }

    private static String find() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.strip();
        for (String file : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
            try {
                String s = Files.readString(Path.of(file)).strip();
                if (!s.isEmpty()) return s;
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable: try the next
            }
        }
        String computer = System.getenv("COMPUTERNAME");
        return computer != null && !computer.isBlank() ? computer.strip() : "localhost";
    }

    static String sanitize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && sb.length() < 64; i++) {
            char c = s.charAt(i);
            sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_') ? c : '_');
        }
        return sb.isEmpty() ? "localhost" : sb.toString();
    }
}
