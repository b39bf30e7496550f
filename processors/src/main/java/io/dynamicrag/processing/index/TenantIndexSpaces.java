package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.TenantId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which {@link IndexSpace index generation} each tenant's search runs on (the {@code tenant_index_generations} read
 * model; no row means generation 0 with the local model).
 *
 * <p>Writers of the serving generation ({@link #withServing}) and the switch to a new generation
 * ({@link #exclusively}) exclude each other per tenant, in this JVM: a document indexed while a switch is being
 * prepared lands either before it (and the switch's catch-up sees it) or after it (in the new generation). Readers
 * take no lock: they resolve the generation once and use that one model and dataset for the whole query; the
 * previous generation stays on disk a while after a switch, so a query in flight finishes on it.
 */
@Component
public class TenantIndexSpaces {

    private final JdbcTemplate jdbc;
    private final ConcurrentMap<UUID, ReentrantReadWriteLock> switches = new ConcurrentHashMap<>();

    public TenantIndexSpaces(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The generation the tenant's search runs on now. */
    public IndexSpace serving(TenantId tenant) {
        return jdbc.query("""
                        SELECT generation, embedding_model, dimensions FROM tenant_index_generations
                        WHERE customer_id = ?""",
                        (rs, i) -> new IndexSpace(tenant, rs.getLong(1), rs.getString(2), rs.getInt(3)),
                        tenant.value())
                .stream().findFirst()
                .orElseGet(() -> IndexSpace.initial(tenant));
    }

    /** Runs a write against the serving generation; no switch happens while it runs. */
    public <T> T withServing(TenantId tenant, Function<IndexSpace, T> write) {
        ReentrantReadWriteLock lock = lockOf(tenant);
        lock.readLock().lock();
        try {
            return write.apply(serving(tenant));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs the final catch-up and the switch of a generation; no write to the serving generation runs meanwhile. */
    public <T> T exclusively(TenantId tenant, Supplier<T> work) {
        ReentrantReadWriteLock lock = lockOf(tenant);
        lock.writeLock().lock();
        try {
            return work.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private ReentrantReadWriteLock lockOf(TenantId tenant) {
        return switches.computeIfAbsent(tenant.value(), id -> new ReentrantReadWriteLock());
    }
}
