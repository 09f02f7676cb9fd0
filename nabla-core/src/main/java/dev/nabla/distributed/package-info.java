/**
 * Data-parallel training across processes: the {@link dev.nabla.distributed.Collective} interface (all-reduce,
 * broadcast, barrier), a single-process one and a ring all-reduce over TCP
 * ({@link dev.nabla.distributed.TcpRingCollective}) whose ranks meet through a list of {@code host:port}
 * ({@link dev.nabla.distributed.Rendezvous}). {@code FitOptions.collective} makes {@code Model.fit} average gradients
 * through one.
 */
package dev.nabla.distributed;
