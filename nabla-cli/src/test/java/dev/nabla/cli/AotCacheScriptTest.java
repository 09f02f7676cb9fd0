package dev.nabla.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The launcher's AOT cache ({@code scripts/aot-cache.sh}, sourced by {@code ./nabla} and {@code bench/run}): when it
 * records, when it uses a cache, and that the off switch, an older JDK, a stale cache and an unusable cache file all
 * leave the command working. The recording is run against a stand-in {@code java} that notes each call, except in the
 * two tests that need the real JDK 25+ ({@link #recordsAndUsesACacheWithTheRealJdk} takes a few seconds).
 */
class AotCacheScriptTest {

    static final Path SCRIPT = Path.of("..", "scripts", "aot-cache.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** A stand-in java that appends its arguments to calls.txt and fails, as a recording that went wrong. */
    private Path fakeJava() throws IOException {
        Path home = dir.resolve("fake-jdk");
        Files.createDirectories(home.resolve("bin"));
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho \"$*\" >> '" + dir.resolve("calls.txt") + "'\necho broken >&2\nexit 1\n");
        assertTrue(java.toFile().setExecutable(true));
        return java;
    }

    private List<String> calls() throws IOException {
        Path calls = dir.resolve("calls.txt");
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    private Path jar(String name) throws IOException {
        Path jar = dir.resolve(name);
        Files.writeString(jar, "not really a jar");
        return jar;
    }

    /** Runs nabla_aot_prepare for the class path in bash; the lines of NABLA_AOT_FLAGS it set. */
    private List<String> prepare(Path java, int major, String aot, String classpath, String... launch) throws Exception {
        String script = "source '" + SCRIPT + "'\nJAVA='" + java + "'\nNABLA_JAVA_MAJOR=" + major + "\n"
                + "nabla_aot_training_args() { NABLA_AOT_TRAINING=(record); }\n"
                + "nabla_aot_prepare '" + classpath + "' " + String.join(" ", quoted(launch)) + "\n"
                + "printf '%s\\n' ${NABLA_AOT_FLAGS[@]+\"${NABLA_AOT_FLAGS[@]}\"}\n";
        Result r = bash(script, Map.of("NABLA_AOT", aot, "NABLA_AOT_DIR", dir.resolve("cache").toString()));
        assertEquals(0, r.status, () -> "bash failed: " + r.err);
        List<String> flags = new ArrayList<>();
        for (String line : r.out.split("\n")) if (!line.isEmpty()) flags.add(line);
        return flags;
    }

    private static List<String> quoted(String... words) {
        List<String> q = new ArrayList<>();
        for (String w : words) q.add("'" + w + "'");
        return q;
    }

    record Result(int status, String out, String err) {
    }

    private Result run(ProcessBuilder pb) throws Exception {
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        return new Result(p.exitValue(), out, Files.readString(err));
    }

    private Result bash(String script, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + script);
        pb.environment().putAll(env);
        return run(pb);
    }

    private Path cacheDir() {
        return dir.resolve("cache");
    }

    @Test
    void offSwitchNeitherRecordsNorUsesACache() throws Exception {
        Path java = fakeJava();
        Path jar = jar("app.jar");
        assertEquals(List.of(), prepare(java, 25, "0", jar.toString(), "-jar", jar.toString()));
        assertEquals(List.of(), calls(), "NABLA_AOT=0 starts no recording");
        assertFalse(Files.exists(cacheDir()), "nor creates the cache folder");
    }

    @Test
    void offUnlessAskedFor() throws Exception {
        Path java = fakeJava();
        Path jar = jar("app.jar");
        // empty is what an unset NABLA_AOT reads as: the cache slowed training (scripts/aot-cache.sh), so it is opt-in
        assertEquals(List.of(), prepare(java, 25, "", jar.toString(), "-jar", jar.toString()));
        assertEquals(List.of(), calls(), "no recording unless NABLA_AOT=1");
        assertFalse(Files.exists(cacheDir()), "nor a cache folder");
    }

    @Test
    void olderJdksNeitherRecordNorGetTheOptions() throws Exception {
        Path java = fakeJava();
        Path jar = jar("app.jar");
        // JDK 21 to 24 do not know -XX:AOTCache: passing it would stop the JVM from starting
        assertEquals(List.of(), prepare(java, 21, "1", jar.toString(), "-jar", jar.toString()));
        assertEquals(List.of(), prepare(java, 24, "1", jar.toString(), "-jar", jar.toString()));
        assertEquals(List.of(), calls());
    }

    @Test
    void aFailedRecordingLeavesNoCacheAndIsNotRetriedUntilTheJarChanges() throws Exception {
        Path java = fakeJava();
        Path jar = jar("app.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        assertEquals(List.of(), prepare(java, 25, "1", jar.toString(), "-jar", jar.toString()));
        List<String> calls = calls();
        assertEquals(1, calls.size(), "recorded once");
        assertTrue(calls.get(0).contains("-XX:AOTCacheOutput=") && calls.get(0).endsWith("-jar " + jar + " record"),
                () -> "the recording runs the launch it is for, then the training command: " + calls);
        try (var files = Files.list(cacheDir())) {
            List<Path> left = files.toList();
            assertEquals(1, left.size(), () -> "only the .failed note: " + left);
            assertTrue(left.get(0).toString().endsWith(".aot.failed"));
            assertTrue(Files.readString(left.get(0)).contains("broken"), "the note keeps the recording's output");
        }
        assertEquals(List.of(), prepare(java, 25, "1", jar.toString(), "-jar", jar.toString()));
        assertEquals(1, calls().size(), "not tried again for the same jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        prepare(java, 25, "1", jar.toString(), "-jar", jar.toString());
        assertEquals(2, calls().size(), "a rebuilt jar is tried again");
    }

    @Test
    void aCacheOlderThanAnyJarOnTheClassPathIsStale() throws Exception {
        Path java = fakeJava();
        Path a = jar("a.jar");
        Path b = jar("b.jar");
        String classpath = a + ":" + b;
        Path cache = Path.of(bash("source '" + SCRIPT + "'\nJAVA='" + java + "'\nNABLA_JAVA_MAJOR=25\nnabla_aot_file '"
                + classpath + "'", Map.of("NABLA_AOT_DIR", cacheDir().toString())).out.trim());
        assertTrue(cache.startsWith(cacheDir()), cache::toString);
        Files.createDirectories(cacheDir());
        Files.writeString(cache, "a cache");
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(a, FileTime.fromMillis(now - 60_000));
        Files.setLastModifiedTime(b, FileTime.fromMillis(now - 60_000));
        Files.setLastModifiedTime(cache, FileTime.fromMillis(now - 30_000));
        assertEquals(List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off"),
                prepare(java, 25, "1", classpath, "-cp", classpath, "Main"));
        assertEquals(List.of(), calls(), "a current cache is used as it is");

        Files.setLastModifiedTime(b, FileTime.fromMillis(now));
        assertEquals(List.of(), prepare(java, 25, "1", classpath, "-cp", classpath, "Main"),
                "the second jar was rebuilt after the cache: not used");
        assertEquals(1, calls().size(), "but recorded again");
    }

    @Test
    void anUnusableCacheFileIsIgnoredSilently() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "the AOT options need JDK 25+");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String classpath = System.getProperty("java.class.path");
        String file = bash("source '" + SCRIPT + "'\nJAVA='" + java + "'\nNABLA_JAVA_MAJOR=25\nnabla_aot_file '"
                + classpath + "'", Map.of("NABLA_AOT_DIR", cacheDir().toString())).out.trim();
        Path cache = Path.of(file);
        Files.createDirectories(cacheDir());
        // garbage where the cache should be, newer than the class path: the launcher passes it, the JVM refuses it
        Files.write(cache, new byte[4096]);
        Files.setLastModifiedTime(cache, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        List<String> flags = prepare(java, 25, "1", classpath, "-cp", classpath, "dev.nabla.cli.Main");
        assertEquals("-XX:AOTCache=" + cache, flags.get(0));
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(flags);
        command.addAll(List.of("-cp", classpath, "dev.nabla.cli.Main", "--version"));
        Result r = run(new ProcessBuilder(command));
        assertEquals(0, r.status, r::err);
        assertEquals(1, r.out.lines().count(), () -> "only the version on stdout: " + r.out);
        assertTrue(r.out.startsWith("nabla "), r.out);
        assertFalse(r.err.toLowerCase(Locale.ROOT).contains("aot"), () -> "no word of the cache: " + r.err);
    }

    /** A program for the recording test: it runs from a jar of its own (a cache is recorded for jars, not folders). */
    public static final class Hello {
        public static void main(String[] args) {
            System.out.println("hello " + String.join(" ", args));
        }
    }

    @Test
    void recordsAndUsesACacheWithTheRealJdk() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "the AOT options need JDK 25+");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path jar = dir.resolve("hello.jar");
        String entry = Hello.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             InputStream in = Hello.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
        }
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        List<String> flags = prepare(java, 25, "1", jar.toString(), "-cp", jar.toString(), Hello.class.getName());
        assertEquals(3, flags.size(), () -> "recorded and used: " + flags);
        Path cache = Path.of(flags.get(0).substring("-XX:AOTCache=".length()));
        assertTrue(Files.size(cache) > 1 << 20, "a cache of the JDK's classes and Hello");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(flags);
        command.addAll(List.of("-Xlog:class+load", "-cp", jar.toString(), Hello.class.getName(), "world"));
        Result r = run(new ProcessBuilder(command));
        assertEquals(0, r.status, r::err);
        assertTrue(r.out.contains("hello world"), r.out);
        assertTrue(r.out.lines().anyMatch(l -> l.contains(Hello.class.getName()) && l.contains("shared objects file")),
                () -> "Hello came from the cache:\n" + r.out);
    }
}
