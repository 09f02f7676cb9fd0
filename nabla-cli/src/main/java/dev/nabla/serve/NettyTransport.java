package dev.nabla.serve;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.unix.Errors;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import dev.nabla.tensor.Tensor;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default {@link Transport}: Netty's HTTP/1.1 codec on its NIO event loops. A complete request that
 * {@link Router#inline} allows (anything but a prediction; a prediction of a small body to a model that is quick per
 * sample) is answered on its event loop, its prediction batched with the others that loop read in the same cycle
 * ({@link ReadCycle}); any other goes to the {@link Router} on a virtual thread (the batcher may make it wait), so a
 * slow model never holds up other connections' I/O. Requests pipelined on one connection are answered in the order
 * they came (up to {@value #MAX_PIPELINED} at a time). Measured in docs/serving.md.
 */
final class NettyTransport implements Transport {

    /** How much of a body over the limit is still read (and dropped) so that the client sees the 413. */
    private static final long DRAIN_BYTES = 8L << 20;
    /** A connection stops reading while this many of its requests are unanswered. */
    private static final int MAX_PIPELINED = 16;
    private static final byte[] EMPTY = new byte[0];
    /** {@code -Dnabla.serve.io=nio} keeps the server on the JDK's NIO where Netty's epoll transport would be used. */
    static final String IO = "nabla.serve.io";

    static {
        // Netty logs through SLF4J when slf4j-api is on the class path, as it is in nabla's jar (without a provider),
        // and SLF4J then warns on every start that it has none: the JDK's logging has nothing to warn about
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    }

    private final EventLoopGroup loops;
    private final Channel listener;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<EventLoop, ReadCycle> cycles = new ConcurrentHashMap<>();
    private final Router router;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;

    NettyTransport(String host, int port, Router router, long maxBodyBytes) throws java.io.IOException {
        this.router = router;
        boolean epoll = !"nio".equals(System.getProperty(IO)) && Epoll.isAvailable();
        loops = new MultiThreadIoEventLoopGroup(Math.max(1, Runtime.getRuntime().availableProcessors()),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(loops)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerExpectContinueHandler(),
                                new Connection(router, maxBodyBytes));
                    }
                });
        try {
            listener = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new java.io.InterruptedIOException("interrupted while binding");
        } catch (RuntimeException e) {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        } catch (Exception e) {
            // Netty rethrows the bind's checked exception (a BindException for a port in use) undeclared
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (e instanceof Errors.NativeIoException n) {
                // epoll's "bind(..) failed with error(-98): Address already in use": a BindException, as from NIO
                String m = String.valueOf(n.getMessage());
                BindException bind = new BindException(m.contains("): ") ? m.substring(m.indexOf("): ") + 3) : m);
                bind.initCause(n);
                throw bind;
            }
            if (e instanceof java.io.IOException io) throw io;
            throw new java.io.IOException(e);
        }
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void stop(int graceSeconds) throws InterruptedException {
        stopping = true;
        listener.close().sync();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        executor.shutdown();
        executor.awaitTermination(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
    }

    /**
     * One connection: gathers a request's body (up to the limit) and answers it, on its event loop where
     * {@link Router#inline} allows (with the other requests of that loop's read cycle, {@link ReadCycle}), else on a
     * virtual thread; the answers are written in the order the requests came.
     */
    private final class Connection extends SimpleChannelInboundHandler<HttpObject> {

        private final Router router;
        private final long maxBodyBytes;
        private ReadCycle cycle;
        private Channel channel;
        private String method;
        private String path;
        private String binaryHeader;
        private boolean keepAlive;
        private byte[] body;
        private int size;
        private long dropped = -1; // >= 0 once the body went over the limit: the bytes read past it
        private boolean answered;
        private boolean closing; // a request asked to close: what is pipelined after it is dropped
        /** The requests not yet written, oldest first; touched only on the event loop. */
        private final ArrayDeque<Answer> answers = new ArrayDeque<>();
        private int unwritten; // answers not yet on the wire (written and flushed): MAX_PIPELINED stops reading

        Connection(Router router, long maxBodyBytes) {
            this.router = router;
            this.maxBodyBytes = maxBodyBytes;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            cycle = cycles.computeIfAbsent(channel.eventLoop(), ReadCycle::new);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest request) {
                if (closing) return;
                inFlight.incrementAndGet();
                answered = false;
                if (request.decoderResult().isFailure()) {
                    keepAlive = false;
                    answer(Router.error(400, "malformed HTTP request: " + request.decoderResult().cause().getMessage()));
                    return;
                }
                method = request.method().name();
                path = new QueryStringDecoder(request.uri()).rawPath();
                binaryHeader = request.headers().get(BinaryOutputs.HEADER);
                keepAlive = HttpUtil.isKeepAlive(request);
                long length = HttpUtil.getContentLength(request, -1L);
                size = 0;
                dropped = length > maxBodyBytes ? 0 : -1;
                body = dropped < 0 && length > 0 ? new byte[(int) length] : EMPTY;
            }
            if (answered || closing) return;
            if (msg instanceof HttpContent content) {
                ByteBuf buf = content.content();
                int n = buf.readableBytes();
                if (dropped < 0 && size + (long) n > maxBodyBytes) {
                    dropped = 0;
                    body = null;
                }
                if (dropped >= 0) {
                    dropped += n;
                    if (dropped > DRAIN_BYTES) {
                        keepAlive = false;
                        answer(new Body(method, path, binaryHeader, null, maxBodyBytes));
                        return;
                    }
                } else {
                    if (size + n > body.length) body = Arrays.copyOf(body, Math.max(size + n, 2 * body.length));
                    buf.getBytes(buf.readerIndex(), body, size, n);
                    size += n;
                }
                if (content instanceof LastHttpContent) {
                    byte[] whole = dropped >= 0 ? null : size == body.length ? body : Arrays.copyOf(body, size);
                    answer(new Body(method, path, binaryHeader, whole, maxBodyBytes));
                }
            }
        }

        /** Queues the answer's place in this connection's order; stops reading while too many are unwritten. */
        private Answer enqueue() {
            answered = true;
            body = null;
            Answer a = new Answer(keepAlive);
            if (!keepAlive) closing = true;
            answers.add(a);
            if (++unwritten >= MAX_PIPELINED) channel.config().setAutoRead(false);
            return a;
        }

        private void answer(Response ready) {
            complete(enqueue(), ready);
        }

        /**
         * Answers {@code request}: on this event loop where the router allows it (a prediction then waits for the
         * end of the read cycle, to be predicted with the others read in it), else on a virtual thread, whose
         * answer comes back to the event loop to be written in order.
         */
        private void answer(Body request) {
            Answer a = enqueue();
            if (router.inline(request.rawPath(), request.body == null ? 0 : request.body.length)) {
                Pending p = router.begin(request);
                if (p.ready != null) complete(a, p.ready);
                else cycle.add(this, a, p);
                return;
            }
            executor.execute(() -> {
                Response r = router.handle(request);
                channel.eventLoop().execute(() -> complete(a, r));
            });
        }

        /** Records an answer (on the event loop) and writes every answer now complete at the head of the order. */
        void complete(Answer a, Response r) {
            a.response = r;
            boolean wrote = false;
            while (!answers.isEmpty() && answers.peekFirst().response != null) {
                Answer head = answers.pollFirst();
                write(head.response, head.keep);
                wrote = true;
            }
            if (wrote) channel.flush();
        }

        private void write(Response r, boolean keep) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
            r.headers().forEach(response.headers()::set);
            HttpUtil.setContentLength(response, r.body().length);
            boolean open = keep && !stopping;
            HttpUtil.setKeepAlive(response, open);
            Channel ch = channel;
            ch.write(response).addListener((ChannelFutureListener) f -> {
                inFlight.decrementAndGet();
                int left = --unwritten;
                if (!open || !f.isSuccess()) {
                    ch.close();
                } else if (left < MAX_PIPELINED) {
                    ch.config().setAutoRead(true);
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // the client went away or sent what the codec cannot read; the server goes on
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!answered && method != null) {
                answered = true;
                inFlight.decrementAndGet();
            }
        }
    }

    /** One request's place in its connection's order, and its answer once there is one. */
    private static final class Answer {
        final boolean keep;
        Response response;

        Answer(boolean keep) {
            this.keep = keep;
        }
    }

    /**
     * The predictions one event loop has to make from the requests it read in one pass over its connections: the
     * first schedules a task, which the loop runs after that pass's I/O; it predicts them, per model in batches of
     * at most {@code --max-batch} samples ({@link Batcher#predictNow}), and writes the answers. This is the event
     * loop's batching: no request waits beyond the read cycle it came in (the requests of that cycle are the batch),
     * and no thread is woken.
     */
    private final class ReadCycle implements Runnable {
        private final EventLoop loop;
        private final List<Connection> from = new ArrayList<>();
        private final List<Answer> answers = new ArrayList<>();
        private final List<Pending> pending = new ArrayList<>();

        ReadCycle(EventLoop loop) {
            this.loop = loop;
        }

        void add(Connection c, Answer a, Pending p) {
            if (pending.isEmpty()) loop.execute(this);
            from.add(c);
            answers.add(a);
            pending.add(p);
        }

        @Override
        public void run() {
            int n = pending.size();
            Connection[] cs = from.toArray(new Connection[0]);
            Answer[] as = answers.toArray(new Answer[0]);
            Pending[] ps = pending.toArray(new Pending[0]);
            from.clear();
            answers.clear();
            pending.clear();
            boolean[] taken = new boolean[n];
            List<Tensor> xs = new ArrayList<>();
            List<Integer> which = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (taken[i]) continue;
                // this request's model, with the later ones to it, in the order they came
                ModelSlot slot = ps[i].slot;
                xs.clear();
                which.clear();
                for (int j = i; j < n; j++) {
                    if (!taken[j] && ps[j].slot == slot) {
                        taken[j] = true;
                        xs.add(ps[j].x);
                        which.add(j);
                    }
                }
                slot.batcher().predictNow(xs, (k, output, failure) -> {
                    int j = which.get(k);
                    cs[j].complete(as[j], router.end(ps[j], output, failure));
                });
            }
        }
    }

    /**
     * A request whose body is complete; {@code body} null means it was over the limit. Of the headers only the one
     * the router asks for is kept ({@code Inference-Header-Content-Length}).
     */
    private record Body(String method, String rawPath, String binaryHeader, byte[] body, long maxBodyBytes) implements Request {
        @Override
        public String header(String name) {
            return name.equalsIgnoreCase(BinaryOutputs.HEADER) ? binaryHeader : null;
        }

        @Override
        public byte[] body() {
            if (body == null) throw Router.tooLarge(maxBodyBytes);
            return body;
        }
    }
}
