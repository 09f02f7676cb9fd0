package dev.nabla.kernel;

import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Whether Java Flight Recorder has been initialised in this JVM, for {@link HeapSgemm}, which must not make critical
 * calls while JFR samples threads. Where the runtime has no {@code jdk.jfr} module, JFR cannot run, so never.
 */
final class FlightRecorderWatch {

    private static volatile boolean seen;
    private static boolean started;

    private FlightRecorderWatch() {
    }

    /** True once the recorder is initialised (it stays so: a recording may start again at any time). */
    static boolean seen() {
        return seen;
    }

    /** Starts watching; called once the in-place path is chosen. Notified at once when JFR already runs. */
    static synchronized void start() {
        if (started) return;
        started = true;
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    seen = true;
                }
            });
        } catch (LinkageError | RuntimeException noRecorder) {
            // a runtime image without jdk.jfr, or a security policy that refuses: no recorder to watch for
        }
    }
}
