package io.dynamicrag.processing.readmodel;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The processors' only way to the read models they do not own (the documents, the tenants' configuration): kernel
 * queries on Axon's query bus, answered by the query side. The bus is local (no Axon Server), and every node runs
 * the query side's handlers, so an answer costs the handler's one SQL query plus an in-process dispatch.
 *
 * <p>Blocks the caller until the answer is there: the processors' callers are blocking already (pipeline lanes,
 * the search handlers on Reactor's bounded-elastic threads, the re-embedding and recovery threads), exactly as the
 * JDBC reads these queries replace. A handler's failure is rethrown as it was thrown.
 */
@Component
public class ReadModelQueries {

    private final QueryGateway queries;

    public ReadModelQueries(QueryGateway queries) {
        this.queries = queries;
    }

    public <R> R one(Object query, Class<R> answer) {
        return await(queries.query(query, ResponseTypes.instanceOf(answer)));
    }

    public <R> Optional<R> optional(Object query, Class<R> answer) {
        return await(queries.query(query, ResponseTypes.optionalInstanceOf(answer)));
    }

    public <R> List<R> list(Object query, Class<R> element) {
        return await(queries.query(query, ResponseTypes.multipleInstancesOf(element)));
    }

    private static <R> R await(CompletableFuture<R> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }
}
