package dev.nabla.serve;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
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

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default {@link Transport}: Netty's HTTP/1.1 codec on its NIO event loops, which only parse and write; each
 * complete request goes to the {@link Router} on a virtual thread (the batcher may make it wait). Requests pipelined
 * on one connection are answered in the order they came (up to {@value #MAX_PIPELINED} at a time). Measured against
 * the JDK's server in docs/serving.md.
 */
final class NettyTransport implements Transport {

    /** How much of a body over the limit is still read (and dropped) so that the client sees the 413. */
    private static final long DRAIN_BYTES = 8L << 20;
    /** A connection stops reading while this many of its requests are unanswered. */
    private static final int MAX_PIPELINED = 16;

    static {
        // Netty logs through SLF4J when slf4j-api is on the class path, as it is in nabla's jar (without a provider),
        // and SLF4J then warns on every start that it has none: the JDK's logging has nothing to warn about
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    }

    private final EventLoopGroup loops;
    private final Channel listener;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;

    NettyTransport(String host, int port, Router router, long maxBodyBytes) throws java.io.IOException {
        loops = new MultiThreadIoEventLoopGroup(Math.max(1, Runtime.getRuntime().availableProcessors()), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
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

    /** One connection: gathers a request's body (up to the limit) and answers it from a virtual thread. */
    private final class Connection extends SimpleChannelInboundHandler<HttpObject> {

        private final Router router;
        private final long maxBodyBytes;
        private String method;
        private String path;
        private String binaryHeader;
        private boolean keepAlive;
        private byte[] body;
        private int size;
        private long dropped = -1; // >= 0 once the body went over the limit: the bytes read past it
        private boolean answered;
        private boolean closing; // a request asked to close: what is pipelined after it is dropped
        private final AtomicInteger pending = new AtomicInteger();
        private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

        Connection(Router router, long maxBodyBytes) {
            this.router = router;
            this.maxBodyBytes = maxBodyBytes;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest request) {
                if (closing) return;
                inFlight.incrementAndGet();
                answered = false;
                if (request.decoderResult().isFailure()) {
                    keepAlive = false;
                    answer(ctx, Router.error(400, "malformed HTTP request: " + request.decoderResult().cause().getMessage()));
                    return;
                }
                method = request.method().name();
                path = new QueryStringDecoder(request.uri()).rawPath();
                binaryHeader = request.headers().get(BinaryOutputs.HEADER);
                keepAlive = HttpUtil.isKeepAlive(request);
                long length = HttpUtil.getContentLength(request, -1L);
                size = 0;
                dropped = length > maxBodyBytes ? 0 : -1;
                body = dropped < 0 && length > 0 ? new byte[(int) length] : new byte[0];
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
                        answer(ctx, new Body(method, path, binaryHeader, null, maxBodyBytes));
                        return;
                    }
                } else {
                    if (size + n > body.length) body = Arrays.copyOf(body, Math.max(size + n, 2 * body.length));
                    buf.getBytes(buf.readerIndex(), body, size, n);
                    size += n;
                }
                if (content instanceof LastHttpContent) {
                    byte[] whole = dropped >= 0 ? null : size == body.length ? body : Arrays.copyOf(body, size);
                    answer(ctx, new Body(method, path, binaryHeader, whole, maxBodyBytes));
                }
            }
        }

        /**
         * Answers {@code request} (a {@link Request}, or a {@link Response} ready) on a virtual thread; pipelined
         * requests are predicted concurrently (they may share a batch) but written in the order they came.
         */
        private void answer(ChannelHandlerContext ctx, Object request) {
            answered = true;
            body = null;
            Channel ch = ctx.channel();
            boolean keep = keepAlive;
            if (!keep) closing = true;
            if (pending.incrementAndGet() >= MAX_PIPELINED) ch.config().setAutoRead(false);
            CompletableFuture<Response> result = request instanceof Response ready ? CompletableFuture.completedFuture(ready)
                    : CompletableFuture.supplyAsync(() -> router.handle((Request) request), executor);
            // written by the event loop, in chain order: a write called on the loop itself would go out at once,
            // ahead of an earlier answer's write still queued from a virtual thread (seen: answers swapped)
            previous = previous.thenCombine(result, (done, r) -> r).thenAcceptAsync(r -> write(ch, r, keep), ch.eventLoop());
        }

        private void write(Channel ch, Response r, boolean keep) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
            r.headers().forEach(response.headers()::set);
            HttpUtil.setContentLength(response, r.body().length);
            boolean open = keep && !stopping;
            HttpUtil.setKeepAlive(response, open);
            ch.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
                inFlight.decrementAndGet();
                int left = pending.decrementAndGet();
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
