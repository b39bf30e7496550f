package io.dynamicrag.command.axon;

import org.axonframework.common.caching.Cache;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A tenant's usage ledger for the day takes three records per document and the API-call flushes of every node; each
 * record had loaded the day's snapshot (with every source it has recorded) and the events since, which made metering
 * the busiest thread of the pipeline. The ledgers now stay loaded between commands.
 *
 * <p>Safe on many nodes because a ledger's state only grows: a stale copy lacks records another node added, so its
 * next record reuses a sequence number, the event store's unique key refuses the append, the unit of work rolls back,
 * the caching repository drops the entry and the command is sent again on fresh state. The {@code Document}
 * aggregate is deliberately not cached: a stale copy could ignore a report it should act on (a reprocessing run
 * started on another node) without appending anything, so no conflict would ever correct it.
 */
@Configuration
public class AggregateCacheConfiguration {

    public static final String USAGE_LEDGERS = "usageAggregateCache";

    @Bean(USAGE_LEDGERS)
    Cache usageAggregateCache(@Value("${rag.aggregate-cache.usage-ledgers:1000}") long entries) {
        return new CaffeineAggregateCache(entries);
    }
}
