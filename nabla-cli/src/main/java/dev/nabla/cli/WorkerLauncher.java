package dev.nabla.cli;

import dev.nabla.distributed.Rendezvous;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code nabla train --workers N}: starts N worker processes, each this same command with the JVM's options and
 * class path and its rank, and waits for them. Rank 0 speaks for all: its progress and results are shown as they come;
 * the others' output is kept back. When a worker fails the others are stopped and the run fails with the first
 * worker's own message and exit status (a worker that failed only because a peer went away says so with
 * {@link #PEER_FAILED}, so the cause is reported, not its echo). The workers end when this process does: they read
 * their standard input, which is this process's pipe, and stop when it closes. A signal (Ctrl-C) reaches the workers
 * too; rank 0 then saves the model so far as a single run would.
 */
final class WorkerLauncher {

    /** A worker's status when it stopped because another one failed or stopped answering. */
    static final int PEER_FAILED = 3;
    /** Set in a worker's environment: it ends when its standard input closes. */
    static final String PARENT_ENV = "NABLA_WORKER_PARENT";

    private WorkerLauncher() {
    }

    /**
     * Runs {@code args} (the train command's arguments) in {@code n} workers of {@code threads / n} threads each
     * (threads null: all cores); returns the exit status.
     */
    static int run(List<String> args, int n, Integer threads, boolean json, Io io) throws IOException, InterruptedException {
        int total = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        int each = Math.max(1, total / n);
        String rendezvous = Rendezvous.format(Rendezvous.localFreePorts(n));
        List<Worker> workers = new ArrayList<>();
        Thread hook = new Thread(() -> stopAll(workers), "nabla-workers-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (int r = 0; r < n; r++) {
                List<String> command = new ArrayList<>(javaCommand());
                command.add("train");
                command.addAll(workerArgs(args));
                command.addAll(List.of("--threads", Integer.toString(each), "--rank", Integer.toString(r), "--rendezvous", rendezvous));
                ProcessBuilder pb = new ProcessBuilder(command);
                // the native kernels size their OpenMP pool from the environment when they load
                pb.environment().put("OMP_NUM_THREADS", Integer.toString(each));
                pb.environment().put(PARENT_ENV, Long.toString(ProcessHandle.current().pid()));
                workers.add(new Worker(r, pb.start(), r == 0 ? io : null));
            }
            Worker failed = awaitAll(workers);
            for (Worker w : workers) w.finish();
            if (failed == null) {
                io.out().print(workers.get(0).stdout());
                return 0;
            }
            return report(failed, workers, json, io);
        } finally {
            stopAll(workers);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running
            }
        }
    }

    /** Waits until all have ended, stopping the others at the first failure; the worker to report, or null. */
    private static Worker awaitAll(List<Worker> workers) throws InterruptedException {
        boolean stopping = false;
        while (true) {
            boolean running = false;
            for (Worker w : workers) {
                if (w.process.isAlive()) {
                    running = true;
                } else if (w.process.exitValue() != 0 && !stopping) {
                    stopping = true;
                    // give a worker whose peer just died the moment it needs to say so, then stop the rest
                    Thread.sleep(200);
                    for (Worker other : workers) other.terminate();
                }
            }
            if (!running) break;
            workers.get(0).process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        Worker echo = null;
        for (Worker w : workers) {
            int status = w.process.exitValue();
            if (status == 0 || w.stoppedByUs(stopping)) continue;
            if (status != PEER_FAILED) return w;
            if (echo == null) echo = w;
        }
        if (echo != null) return echo;
        for (Worker w : workers) if (w.process.exitValue() != 0) return w;
        return null;
    }

    private static int report(Worker failed, List<Worker> workers, boolean json, Io io) {
        int status = failed.process.exitValue() == PEER_FAILED ? Errors.USAGE : failed.process.exitValue();
        List<String> errors = failed.errorLines();
        if (failed.rank == 0 && failed.process.exitValue() != PEER_FAILED) {
            for (String line : errors) io.err().println(line);
            io.out().print(failed.stdout());
            return status;
        }
        String line = errors.isEmpty() ? "error: worker " + failed.rank + " of " + workers.size() + " ended with status " + status
                : errors.get(0).replaceFirst("^error: ", "error: worker " + failed.rank + ": ");
        io.err().println(line);
        for (String more : errors.subList(Math.min(1, errors.size()), errors.size())) io.err().println(more);
        if (json) JsonErrors.print(io, line, status);
        return status;
    }

    private static void stopAll(List<Worker> workers) {
        for (Worker w : List.copyOf(workers)) w.terminate();
        for (Worker w : List.copyOf(workers)) {
            try {
                // rank 0 may be saving the model of an interrupted run
                if (!w.process.waitFor(60, TimeUnit.SECONDS)) w.process.destroyForcibly();
            } catch (InterruptedException e) {
                w.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The arguments less the launcher's own ({@code --workers}, {@code --threads}), which each worker gets anew. */
    static List<String> workerArgs(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                out.addAll(args.subList(i, args.size()));
                break;
            }
            if (a.equals("--workers") || a.equals("--threads")) {
                i++;
            } else if (!a.startsWith("--workers=") && !a.startsWith("--threads=")) {
                out.add(a);
            }
        }
        return out;
    }

    /** This JVM again: its options (agents left out) and class path, with progress shown per epoch. */
    private static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-javaagent") || a.startsWith("-agentlib") || a.startsWith("-agentpath")
                    || a.startsWith("-Dnabla.progress=")) continue;
            cmd.add(a);
        }
        // rank 0's stderr passes through a pipe line by line: a bar redrawn in place would show only at the epoch's end
        cmd.add("-Dnabla.progress=lines");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        return cmd;
    }

    /** In a worker: ends this JVM when the launcher's end of its standard input closes (the launcher died). */
    static void exitWithParent() {
        Thread t = new Thread(() -> {
            try {
                InputStream in = System.in;
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) {
                    // nothing is sent; reading only waits for the end
                }
            } catch (IOException e) {
                // a broken pipe ends the worker too
            }
            Runtime.getRuntime().halt(PEER_FAILED);
        }, "nabla-worker-parent");
        t.setDaemon(true);
        t.start();
    }

    /** One worker process and its output: rank 0's stderr shown as it comes (its error lines kept), the rest kept. */
    private static final class Worker {
        final int rank;
        final Process process;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final List<String> errors = new ArrayList<>();
        private final Thread outReader;
        private final Thread errReader;

        Worker(int rank, Process process, Io shown) {
            this.rank = rank;
            this.process = process;
            outReader = Thread.ofPlatform().daemon().name("nabla-worker-" + rank + "-out").start(() -> {
                try (InputStream in = process.getInputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // the worker ended
                }
            });
            errReader = Thread.ofPlatform().daemon().name("nabla-worker-" + rank + "-err").start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith("error: ") || !errors.isEmpty()) {
                            // an error and what follows it (NABLA_DEBUG's stack trace): shown once the cause is known
                            synchronized (errors) {
                                if (errors.size() < 200) errors.add(line);
                            }
                        } else if (shown != null) {
                            shown.err().println(line);
                        }
                    }
                } catch (IOException e) {
                    // the worker ended
                }
            });
        }

        /**
         * SIGTERM, as Ctrl-C's shutdown: the worker's own hook stops it after the batch (rank 0 saving the model).
         * Through the handle, since {@code Process.destroy} also closes the pipes, and a worker whose standard input
         * closes halts at once.
         */
        void terminate() {
            process.toHandle().destroy();
        }

        void finish() throws InterruptedException {
            outReader.join(10_000);
            errReader.join(10_000);
        }

        /** Whether it ended from the launcher's stop (SIGTERM) rather than by itself. */
        boolean stoppedByUs(boolean stopping) {
            return stopping && process.exitValue() == 143;
        }

        String stdout() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        List<String> errorLines() {
            synchronized (errors) {
                return List.copyOf(errors);
            }
        }
    }
}
