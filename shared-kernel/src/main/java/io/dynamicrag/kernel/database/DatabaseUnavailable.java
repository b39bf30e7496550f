package io.dynamicrag.kernel.database;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Tells a failure caused by PostgreSQL being away (stopped, restarting, unreachable) from every other failure, wherever
 * it is wrapped: Axon's command and query execution exceptions, its {@code JdbcException} and event store exceptions,
 * Spring's translated data-access exceptions and Reactor's wrappers all keep the driver's exception as a cause. Such a
 * failure is temporary: requests answer 503 with Retry-After instead of a 500, and pipeline work waits for the
 * database instead of failing its document (issue 15, PostgreSQL restart drill).
 *
 * <p>The kernel depends on no framework, so Spring's and R2DBC's exception types are recognised by name (the class or
 * one of its superclasses).
 */
public final class DatabaseUnavailable {

    /**
     * SQLSTATE codes of a server going away, besides class 08 (connection exception: refused, broken, closed): 57P01
     * (terminated by an administrator: a fast shutdown), 57P02 (crash shutdown), 57P03 (cannot connect now: the server
     * is starting up or shutting down).
     */
    private static final Set<String> SERVER_GOING_AWAY = Set.of("57P01", "57P02", "57P03");

    /**
     * Spring's translation of "cannot get a connection" (JDBC's CannotGetJdbcConnectionException, a failed R2DBC
     * connection, a transaction that could not begin for want of one) and R2DBC's own connection failures: a refused
     * or closed connection (r2dbc-postgresql) and no connection acquired in time (r2dbc-pool).
     */
    private static final Set<String> CONNECTION_FAILURE_TYPES = Set.of(
            "org.springframework.dao.DataAccessResourceFailureException",
            "org.springframework.transaction.CannotCreateTransactionException",
            "io.r2dbc.spi.R2dbcNonTransientResourceException",
            "io.r2dbc.spi.R2dbcTransientResourceException",
            "io.r2dbc.spi.R2dbcTimeoutException");

    private DatabaseUnavailable() {
    }

    /** True when {@code failure} or one of its causes says the database cannot be reached right now. */
    public static boolean causes(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (isConnectionFailure(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionFailure(Throwable t) {
        // Hikari's "Connection is not available, request timed out" (the pool could not open one in time)
        if (t instanceof SQLTransientConnectionException) {
            return true;
        }
        if (t instanceof SQLException sql) {
            return isConnectionState(sql.getSQLState()) || isHikariClosedConnection(sql);
        }
        for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
            if (CONNECTION_FAILURE_TYPES.contains(type.getName())) {
                return true;
            }
            if (type.getName().equals(R2DBC_EXCEPTION)) {
                return isConnectionState(r2dbcSqlState(t));
            }
        }
        return false;
    }

    private static final String R2DBC_EXCEPTION = "io.r2dbc.spi.R2dbcException";

    /** {@code R2dbcException.getSqlState()}, called by name (see the class comment); null if it cannot be read. */
    private static String r2dbcSqlState(Throwable r2dbc) {
        try {
            Object state = r2dbc.getClass().getMethod("getSqlState").invoke(r2dbc);
            return state instanceof String text ? text : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Hikari hands out a closed stand-in for a connection it evicted as broken (57P01 on a fast shutdown): whoever
     * still holds it (a unit of work's transaction) gets this, without an SQLSTATE. Seen in
     * PostgresRestartIntegrationTest: the pipeline run failed with it, and was not recognised as an outage.
     */
    private static boolean isHikariClosedConnection(SQLException sql) {
        return sql.getSQLState() == null && "Connection is closed".equals(sql.getMessage());
    }

    private static boolean isConnectionState(String state) {
        return state != null && (state.startsWith("08") || SERVER_GOING_AWAY.contains(state));
    }
}
