package dev.nabla.train;

/** Training stopped because the loss became NaN or infinite; the message names the epoch and batch. */
public final class NonFiniteLossException extends RuntimeException {

    private final int epoch;
    private final int batch;

    public NonFiniteLossException(int epoch, int batch, double loss) {
        super("loss became " + loss + " at epoch " + epoch + ", batch " + batch
                + ": training stopped (try a lower learning rate, gradient clipping, or scaled inputs; "
                + "or ask to continue on non-finite losses)");
        this.epoch = epoch;
        this.batch = batch;
    }

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }
}
