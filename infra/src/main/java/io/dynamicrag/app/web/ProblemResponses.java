package io.dynamicrag.app.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.URI;

/** Writes an RFC 9457 problem body directly, for answers given before a controller runs (401, 403). */
public final class ProblemResponses {

    /** The mixin writes ProblemDetail's extra properties at the top level (and no "properties": null). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class);

    /**
     * Retry-After of a 503 for a dependency that is down (Redis, PostgreSQL): a short outage should not strand clients.
     */
    public static final String UNAVAILABLE_RETRY_AFTER_SECONDS = "5";

    private ProblemResponses() {
    }

    public static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            body = ("{\"status\":" + status.value() + "}").getBytes();
        }
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }
}
