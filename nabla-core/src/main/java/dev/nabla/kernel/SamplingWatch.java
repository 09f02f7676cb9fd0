package dev.nabla.kernel;

import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

import java.util.Map;

/**
 * Whether a Java Flight Recorder recording that samples thread stacks is under way, for {@link OneDnnGemm}, which
 * runs its products on the pure-Java kernels meanwhile.
 *
 * <p>Why: on JDK 25.0.3 here, JFR's execution sampler (the event {@code jdk.ExecutionSample}, on in the default and
 * {@code profile} settings) corrupted the native heap while a thread made {@code dnnl_sgemm} calls: glibc's
 * "corrupted size vs. prev_size", "free(): invalid size", or a SIGSEGV inside JFR's stack-trace repository or the
 * garbage collector, in most 20-second runs of a loop that only calls {@code dnnl_sgemm} and allocates (8 of 8 runs
 * through the foreign-function API, 1 of 3 through JavaCPP's JNI; through the in-place or the copying path alike). The
 * same loop with OpenBLAS's {@code cblas_sgemm}, with {@code malloc}/{@code memset}/{@code free} instead, or with
 * {@code jdk.ExecutionSample#enabled=false} (native-method samples still on) never crashed. The cause inside oneDNN
 * or the JVM is not known, so the products leave oneDNN while the sampler runs.
 *
 * <p>Not covered: oneDNN's convolution primitives, whose forward and backward keep state between the calls and cannot
 * switch kernels mid-step; profile convolutional models with {@code -Dnabla.kernels=java} or with
 * {@code jdk.ExecutionSample#enabled=false}.
 */
final class SamplingWatch {

    /** The sampling events that interrupt running threads (the CPU-time sampler of JDK 25 included). */
    private static final String[] SAMPLERS = {"jdk.ExecutionSample#enabled", "jdk.CPUTimeSample#enabled"};

    private static volatile boolean sampling;
    private static boolean started;
    private static boolean told;

    private SamplingWatch() {
    }

    /** True while a recording that is not yet stopped has a stack sampler enabled. */
    static boolean sampling() {
        return sampling;
    }

    /** Starts watching; notified at once when the recorder is already initialised (a recording from start-up). */
    static synchronized void start() {
        if (started) return;
        started = true;
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    update(recorder);
                }

                @Override
                public void recordingStateChanged(Recording recording) {
                    update(FlightRecorder.getFlightRecorder());
                }
            });
        } catch (LinkageError | RuntimeException noRecorder) {
            // a runtime image without jdk.jfr, or a security policy that refuses: no recorder to watch for
        }
    }

    private static synchronized void update(FlightRecorder recorder) {
        boolean any = false;
        for (Recording recording : recorder.getRecordings()) {
            RecordingState state = recording.getState();
            // a recording about to start counts already: the sampler may run before this hears that it did
            if (state == RecordingState.STOPPED || state == RecordingState.CLOSED) continue;
            if (samples(recording.getSettings())) any = true;
        }
        sampling = any;
        if (any && !told) {
            told = true;
            System.err.println("nabla: a JFR recording samples thread stacks: matrix products run on the pure-Java "
                    + "kernels while it records (oneDNN's sgemm under JFR's sampler corrupted memory on JDK 25; "
                    + "jdk.ExecutionSample#enabled=false keeps oneDNN)");
        }
    }

    private static boolean samples(Map<String, String> settings) {
        for (String key : SAMPLERS) if ("true".equals(settings.get(key))) return true;
        return false;
    }
}
