package dev.nabla.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nabla_java_major} of {@code scripts/jdk.sh} (which the launcher, the tests and the benchmark use to pick a
 * JDK 21+): the version comes from the JDK's release file without starting its JVM, and from the JVM only for a JDK
 * without that file.
 */
class JdkScriptTest {

    static final Path SCRIPT = Path.of("..", "scripts", "jdk.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** A JDK folder whose java notes each start in started.txt and reports {@code spec} as its version. */
    private Path jdk(String name, String release, String spec) throws Exception {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho x >> '" + dir.resolve("started.txt") + "'\n"
                + "echo '    java.specification.version = " + spec + "' >&2\n");
        assertTrue(java.toFile().setExecutable(true));
        if (release != null) Files.writeString(home.resolve("release"), release);
        return home;
    }

    private String major(Path home) throws Exception {
        String script = "source <(sed -n '/^nabla_java_major()/,/^}/p' '" + SCRIPT + "')\nnabla_java_major '" + home + "'";
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void readsTheReleaseFileWithoutStartingTheJvm() throws Exception {
        assertEquals("25", major(jdk("temurin-25", "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n", "99")));
        assertEquals("21", major(jdk("jdk-21-ea", "JAVA_VERSION=\"21\"\n", "99")));
        assertEquals("8", major(jdk("jdk8", "JAVA_VERSION=\"1.8.0_292\"\n", "99")));
        assertFalse(Files.exists(dir.resolve("started.txt")), "no JVM was started");
    }

    @Test
    void asksTheJvmWhenThereIsNoReleaseFile() throws Exception {
        assertEquals("22", major(jdk("bare", null, "22")));
        assertEquals("17", major(jdk("odd-release", "IMPLEMENTOR=\"someone\"\n", "17")));
        assertEquals(2, Files.readAllLines(dir.resolve("started.txt")).size());
    }
}
