package dev.nabla.cli;

import dev.nabla.kernel.Kernels;

/**
 * Starts loading the native kernels (oneDNN and its OpenMP runtime, through JavaCPP) on a thread of their own as soon
 * as the launcher starts a command, so that loading them (the largest part of {@code nabla predict} on one image
 * after the JVM's own start) runs beside picocli's parsing, reading the model and decoding the inputs instead of
 * after them. The first layer that computes waits for the class to finish initialising, as it would have anyway; the
 * kernels chosen are the same ({@code nabla.kernels} and the OpenMP environment are read when they load either way).
 * {@code -Dnabla.preload=false} turns it off.
 */
final class KernelPreload {

    private KernelPreload() {
    }

    /** Starts the loading for a command line that names a command (not for {@code --help} or {@code --version}). */
    static void start(String[] args) {
        if (args.length == 0 || args[0].startsWith("-") || args[0].equals("help")) return;
        if (!Boolean.parseBoolean(System.getProperty("nabla.preload", "true").trim())) return;
        Thread.ofPlatform().daemon().name("nabla-kernel-preload").start(Kernels::gemm);
    }
}
