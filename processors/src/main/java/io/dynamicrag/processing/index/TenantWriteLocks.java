package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.TenantId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * A tenant's cluster-wide write lock: a PostgreSQL transaction-level advisory lock on the tenant's id, held until
 * the transaction that took it ends. Every write to a tenant's Lance datasets takes it, so two nodes never write one
 * tenant at the same time, whatever the segment claims say at that moment: a node that lost its claim while paused
 * (a long GC, a network stall) still holds the lock until its transaction ends, and the new owner waits for it; a
 * node that dies loses its connection, and PostgreSQL releases the lock at once.
 *
 * <p>Index writes triggered by events take it inside the event processor's transaction (no extra connection);
 * maintenance and re-embedding take it in a short transaction of their own.
 */
@Component
public class TenantWriteLocks {

    /** Keeps our keys apart from any other advisory lock user of the database. */
    private static final long NAMESPACE = 0x5241475f494e4458L; // "RAG_INDX"

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public TenantWriteLocks(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Takes the tenant's lock in the transaction running now (waiting while another node holds it). */
    public void holdForCurrentTransaction(TenantId tenant) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("the write lock of tenant " + tenant + " needs a transaction");
        }
        jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", key(tenant.value()));
    }

    /** Runs {@code write} holding the tenant's lock, in a transaction of its own (joined if one is running). */
    public <T> T whileHolding(TenantId tenant, Supplier<T> write) {
        return transactions.execute(status -> {
            holdForCurrentTransaction(tenant);
            return write.get();
        });
    }

    static long key(UUID tenant) {
        return NAMESPACE ^ tenant.getMostSignificantBits() ^ Long.rotateLeft(tenant.getLeastSignificantBits(), 1);
    }
}
