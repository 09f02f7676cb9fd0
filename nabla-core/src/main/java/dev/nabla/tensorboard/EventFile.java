package dev.nabla.tensorboard;

import dev.nabla.io.proto.ProtoWriter;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One TensorBoard event file being written: {@code events.out.tfevents.SECONDS.HOST.PID.N} in a folder (the name
 * {@code torch.utils.tensorboard.SummaryWriter} gives, unique per process), a series of TFRecords holding
 * {@code Event} messages: first {@code file_version: "brain.Event:2"}, then summaries of scalars
 * ({@code simple_value}) and histograms ({@code histo}), each with its wall time and step.
 *
 * <p>Records are written whole into a buffer and reach the file at {@link #flush()} (or when the buffer fills), so a
 * file read at any time, or left behind by a process that died, is a series of complete records followed at most by
 * a partial one that a reader waits on, as TensorBoard does. Field numbers are those of TensorFlow's
 * {@code event.proto} and {@code summary.proto}.
 */
public final class EventFile implements Closeable {

    /** The version string of the first event, which TensorBoard reads to know the format. */
    public static final String FILE_VERSION = "brain.Event:2";

    private static final int BUFFER = 64 * 1024;
    private static int opened;

    private final Path path;
    private final OutputStream out;

    private EventFile(Path path, OutputStream out) {
        this.path = path;
        this.out = out;
    }

    /** Creates {@code folder} (and its parents) where missing and a new event file in it, its first event written. */
    public static EventFile create(Path folder) throws IOException {
        Files.createDirectories(folder);
        long seconds = System.currentTimeMillis() / 1000;
        String base = "events.out.tfevents." + seconds + "." + HostName.get() + "." + ProcessHandle.current().pid() + ".";
        Path file;
        OutputStream stream;
        while (true) {
            file = folder.resolve(base + nextNumber());
            try {
                stream = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                break;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another writer of this process (or a file copied in) has the number: take the next
            }
        }
        EventFile events = new EventFile(file, new BufferedOutputStream(stream, BUFFER));
        events.write(new ProtoWriter().float64(1, wallTime()).int64(2, 0).string(3, FILE_VERSION));
        events.flush();
        return events;
    }

    private static synchronized int nextNumber() {
        return opened++;
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** A scalar ({@code simple_value}) under {@code tag} at {@code step}. */
    public void scalar(String tag, long step, double value) throws IOException {
        summary(step, new ProtoWriter().string(1, tag).float32(2, (float) value));
    }

    /** A histogram ({@code histo}) under {@code tag} at {@code step}. */
    public void histogram(String tag, long step, Histogram histogram) throws IOException {
        summary(step, new ProtoWriter().string(1, tag).message(5, histogram.toProto()));
    }

    /** Writes what is buffered to the file, so that a TensorBoard reading it sees every event so far. */
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void summary(long step, ProtoWriter value) throws IOException {
        ProtoWriter summary = new ProtoWriter().message(1, value);
        write(new ProtoWriter().float64(1, wallTime()).int64(2, step).message(5, summary));
    }

    private void write(ProtoWriter event) throws IOException {
        out.write(TfRecords.frame(event.toBytes()));
    }

    private static double wallTime() {
        return System.currentTimeMillis() / 1000.0;
    }
}
