package io.dynamicrag.app.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * Bounds on slow clients that Spring Boot has no property for: a connection must deliver each request head within
 * {@code rag.http.request-head-timeout} ({@link RequestHeadDeadline}).
 */
@Configuration(proxyBeanMethods = false)
class HttpServerLimits {

    static final String HTTP_CODEC = "reactor.left.httpCodec";

    @Bean
    NettyServerCustomizer requestHeadDeadline(@Value("${rag.http.request-head-timeout:PT20S}") Duration deadline) {
        return server -> withRequestHeadDeadline(server, deadline);
    }

    static reactor.netty.http.server.HttpServer withRequestHeadDeadline(reactor.netty.http.server.HttpServer server,
                                                                       Duration deadline) {
        if (deadline.isZero() || deadline.isNegative()) {
            return server;
        }
        return server.doOnChannelInit((observer, channel, address) -> {
            // HTTP/1.1 connections have the codec here; an h2c or TLS-ALPN pipeline has none and is left alone
            if (channel.pipeline().get(HTTP_CODEC) != null) {
                channel.pipeline().addAfter(HTTP_CODEC, RequestHeadDeadline.NAME, new RequestHeadDeadline(deadline));
            }
        });
    }
}
