package io.dynamicrag.app.web;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has not delivered a complete request head (request line and headers) within the deadline
 * of being opened or of its previous answer. Reactor Netty bounds neither: its idle timeout is reset by every byte, so
 * a client sending its headers a byte every few seconds (slowloris) or nothing at all held the connection for good
 * ({@code scripts/drill.sh fuzz}). One per connection, placed after the HTTP codec, on the connection's event loop.
 */
final class RequestHeadDeadline extends ChannelDuplexHandler {

    static final String NAME = "rag.requestHeadDeadline";

    private final long deadlineNanos;
    private ScheduledFuture<?> pending;
    private int requestsInFlight;

    RequestHeadDeadline(Duration deadline) {
        this.deadlineNanos = deadline.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            requestsInFlight++;
            disarm();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            // the answer is complete: the next request's head must come within the deadline from now
            promise = promise.unvoid();
            promise.addListener(done -> {
                requestsInFlight = Math.max(0, requestsInFlight - 1);
                if (requestsInFlight == 0 && ctx.channel().isActive()) {
                    arm(ctx);
                }
            });
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        pending = ctx.executor().schedule(() -> {
            if (requestsInFlight == 0) {
                ctx.close();
            }
        }, deadlineNanos, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
