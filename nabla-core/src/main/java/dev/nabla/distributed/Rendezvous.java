package dev.nabla.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the ranks of a {@link TcpRingCollective} listen: one {@code host:port} per rank, in rank order, the same list
 * on every rank. Spark's {@code BarrierTaskContext.allGather} yields such a list (each task publishes its own);
 * {@code nabla train --workers N} picks free ports on this machine ({@link #localFreePorts}).
 */
public final class Rendezvous {

    private Rendezvous() {
    }

    /** Parses {@code "host:port,host:port,..."} ({@code [v6-address]:port} for IPv6); at least one entry. */
    public static List<InetSocketAddress> parse(String list) {
        if (list == null || list.isBlank()) throw new IllegalArgumentException("rendezvous: no host:port given");
        List<InetSocketAddress> out = new ArrayList<>();
        for (String raw : list.split(",", -1)) {
            String entry = raw.strip();
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("rendezvous: '" + entry + "' is not host:port");
            }
            String host = entry.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            int port;
            try {
                port = Integer.parseInt(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rendezvous: '" + entry + "' has no port number after the ':'");
            }
            if (port < 1 || port > 65535) throw new IllegalArgumentException("rendezvous: port " + port + " of '" + entry + "' is not in 1-65535");
            out.add(new InetSocketAddress(host, port));
        }
        return List.copyOf(out);
    }

    /** The list as {@link #parse} reads it. */
    public static String format(List<InetSocketAddress> addresses) {
        StringBuilder sb = new StringBuilder();
        for (InetSocketAddress a : addresses) {
            if (!sb.isEmpty()) sb.append(',');
            String host = a.getHostString();
            sb.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(a.getPort());
        }
        return sb.toString();
    }

    /**
     * {@code n} loopback addresses whose ports were free a moment ago (the system chose them): the ranks bind them
     * right after, so another program taking one in between is unlikely, and then the rank says which port it could
     * not listen on.
     */
    public static List<InetSocketAddress> localFreePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<InetSocketAddress> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // all held open together, so the n ports differ
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                out.add(new InetSocketAddress(InetAddress.getLoopbackAddress().getHostAddress(), s.getLocalPort()));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports on the loopback interface: " + e.getMessage(), e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a listening socket that was never used
                }
            }
        }
    }
}
