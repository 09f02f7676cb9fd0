package dev.nabla.distributed;

/**
 * The operations that data-parallel training needs from a group of {@link #worldSize()} processes (ranks), each
 * holding one instance: every rank calls the same operations in the same order with arrays of the same length, as
 * with {@code torch.distributed} or MPI. A rank whose peer dies or stops answering gets a {@link CollectiveException}
 * naming that peer within the implementation's timeout, never a hang.
 *
 * <pre>{@code
 * try (Collective c = TcpRingCollective.connect(rank, Rendezvous.parse("hostA:7070,hostB:7070"), Duration.ofMinutes(2))) {
 *     c.broadcast(weights, 0);   // every rank starts from rank 0's weights
 *     c.allReduce(gradients);    // the element-wise sum over all ranks, the same bits on every rank
 * }
 * }</pre>
 */
public interface Collective extends AutoCloseable {

    /** This process's place in the group, from 0 to {@code worldSize() - 1}. */
    int rank();

    /** The number of ranks. */
    int worldSize();

    /**
     * Replaces {@code data} on every rank by the element-wise <b>sum</b> over all ranks (as {@code torch.distributed}'s
     * default {@code ReduceOp.SUM}; divide for a mean, as gradient averaging does). The sum of each element is
     * computed once and copied to the others, so every rank ends with bit-identical values.
     */
    void allReduce(float[] data);

    /** Replaces {@code data} on every rank by rank {@code root}'s values. */
    void broadcast(float[] data, int root);

    /** Returns once every rank has called it. */
    void barrier();

    /** Releases the connections; the instance cannot be used after. Closing twice does nothing. */
    @Override
    void close();

    /** The group of one: nothing to exchange, every operation leaves the data as it is. */
    static Collective single() {
        return SingleProcess.INSTANCE;
    }
}
