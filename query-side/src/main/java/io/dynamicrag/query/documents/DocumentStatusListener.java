package io.dynamicrag.query.documents;

import com.zaxxer.hikari.HikariDataSource;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.query.DocumentStatusView;
import io.dynamicrag.kernel.ingestion.api.query.FindDocumentStatusQuery;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SubscriptionQueryMessage;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns {@code rag_document_status} notifications (see {@link DocumentStatusBroadcast}) into this node's
 * {@code FindDocumentStatusQuery} updates. Axon's subscription queries live in one JVM, while the projection that
 * changed the row may run on another node: every node listens, re-reads the committed row and emits it to its own
 * subscribers of that tenant's document (a deletion emits the "deleted" view: its row is gone).
 *
 * <p>One connection taken from the {@link DataSource} for good, read on a daemon thread. A lost connection is
 * re-opened with backoff; notifications sent meanwhile are lost, so after every reconnect the current status of
 * each open subscription is sent again (a subscriber may see a status twice, never miss the last one).
 *
 * <p>Starts (LISTEN done) before the web server answers and stops after it has drained: a subscription opened by the
 * first request already gets updates.
 */
@Component
class DocumentStatusListener implements SmartLifecycle {

    /** Below the reactive web server's start/stop phase (MAX - 2048): started before it, stopped after it. */
    static final int PHASE = Integer.MAX_VALUE - 4096;
    /** Shown in {@code pg_stat_activity}, so an operator (or a test) can find the listening connection. */
    static final String APPLICATION_NAME = "rag-document-status-listener";

    private static final Logger log = LoggerFactory.getLogger(DocumentStatusListener.class);
    /** How long one wait for notifications blocks: also the longest a shutdown waits for the thread. */
    private static final int POLL_MILLIS = 500;
    /** A connection silent this long is pinged: a half-open TCP connection would otherwise never fail. */
    private static final long IDLE_CHECK_NANOS = Duration.ofSeconds(30).toNanos();
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final int QUERY_TIMEOUT_SECONDS = 5;
    private static final String READ_STATUS = """
            SELECT id, status, version, chunk_count, character_count, error_message
            FROM documents WHERE id = ? AND customer_id = ?""";

    private final DataSource dataSource;
    private final QueryUpdateEmitter updates;

    private volatile boolean running;
    private volatile CountDownLatch stopping = new CountDownLatch(0);
    private Thread thread;
    /** Owned by the listening thread once it runs (handed over by {@link Thread#start()}). */
    private Connection connection;

    DocumentStatusListener(DataSource dataSource, QueryUpdateEmitter updates) {
        this.dataSource = dataSource;
        this.updates = updates;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        try {
            connection = listen();
        } catch (SQLException e) {
            // the database was reachable a moment ago (migrations ran): keep starting, the thread retries
            log.warn("Cannot listen for document status changes yet ({}): retrying in the background",
                    e.getMessage());
        }
        running = true;
        stopping = new CountDownLatch(1);
        thread = new Thread(this::listenUntilStopped, "document-status-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        stopping.countDown();
        try {
            // the thread notices within one poll, or one status read (QUERY_TIMEOUT_SECONDS) at worst
            thread.join(TimeUnit.SECONDS.toMillis(QUERY_TIMEOUT_SECONDS + 1L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("The document status listener did not stop in time; its connection closes with the pool");
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void listenUntilStopped() {
        Duration backoff = FIRST_BACKOFF;
        long lastHeard = System.nanoTime();
        while (running) {
            try {
                if (connection == null) {
                    connection = listen();
                    int resent = resendOpenSubscriptions();
                    log.info("Listening for document status changes again; re-sent the status of {} open "
                            + "subscription(s)", resent);
                    backoff = FIRST_BACKOFF;
                    lastHeard = System.nanoTime();
                }
                PGNotification[] received = connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
                if (received != null && received.length > 0) {
                    deliver(received);
                    lastHeard = System.nanoTime();
                } else if (System.nanoTime() - lastHeard > IDLE_CHECK_NANOS) {
                    if (!connection.isValid(QUERY_TIMEOUT_SECONDS)) {
                        throw new SQLException("the listening connection stopped answering", "08006");
                    }
                    lastHeard = System.nanoTime();
                }
            } catch (SQLException e) {
                release();
                if (!running) {
                    break; // the connection failed because we are stopping: nothing to report
                }
                log.warn("Lost the document status connection ({}); reconnecting in {} ms", e.getMessage(),
                        backoff.toMillis());
                if (awaitStop(backoff)) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } catch (RuntimeException e) {
                // one batch failed (an emitter or subscriber threw): keep listening for the next
                log.error("Could not pass on a document status change", e);
            }
        }
        release();
    }

    /** Waits out a backoff; true when asked to stop meanwhile. */
    private boolean awaitStop(Duration backoff) {
        try {
            return stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private Connection listen() throws SQLException {
        Connection opened = dataSource.getConnection();
        try {
            opened.unwrap(PGConnection.class); // fails at once on anything but PostgreSQL's driver
            opened.setAutoCommit(true); // LISTEN takes effect at commit: here, at once
            try (Statement statement = opened.createStatement()) {
                statement.execute("SET application_name = '" + APPLICATION_NAME + "'");
                statement.execute("LISTEN " + DocumentStatusNotice.CHANNEL);
            }
            return opened;
        } catch (SQLException | RuntimeException e) {
            discard(opened);
            throw e;
        }
    }

    private void deliver(PGNotification[] received) throws SQLException {
        // a burst (a replay, a batch of events) may name one document several times: its row is read once
        Map<FindDocumentStatusQuery, DocumentStatusNotice> latest = new LinkedHashMap<>();
        for (PGNotification notification : received) {
            if (!DocumentStatusNotice.CHANNEL.equals(notification.getName())) {
                continue;
            }
            Optional<DocumentStatusNotice> notice = DocumentStatusNotice.parse(notification.getParameter());
            if (notice.isEmpty()) {
                log.warn("Skipped a {} notification that is not a document status notice ({} characters)",
                        DocumentStatusNotice.CHANNEL, String.valueOf(notification.getParameter()).length());
                continue;
            }
            // a deletion is final: a change announced after it has no row left to show
            latest.merge(notice.get().query(), notice.get(), (before, after) -> before.isDeletion() ? before : after);
        }
        Set<FindDocumentStatusQuery> watched = openSubscriptions();
        for (DocumentStatusNotice notice : latest.values()) {
            if (!watched.contains(notice.query())) {
                continue; // nobody on this node waits for it: skip the read
            }
            Optional<DocumentStatusView> view = notice.isDeletion()
                    ? Optional.of(notice.deletedView())
                    : readStatus(notice.tenant(), notice.document());
            view.ifPresent(status -> emit(notice.tenant(), notice.document(), status));
        }
    }

    /** After a reconnect: the current status to every open subscription, for what was missed meanwhile. */
    private int resendOpenSubscriptions() throws SQLException {
        int resent = 0;
        for (FindDocumentStatusQuery query : openSubscriptions()) {
            // no row: not submitted yet (the subscriber will hear of it) or deleted while we were away
            Optional<DocumentStatusView> view = readStatus(query.tenantId(), query.documentId());
            if (view.isPresent()) {
                emit(query.tenantId(), query.documentId(), view.get());
                resent++;
            }
        }
        return resent;
    }

    private Set<FindDocumentStatusQuery> openSubscriptions() {
        Set<FindDocumentStatusQuery> open = new HashSet<>();
        for (SubscriptionQueryMessage<?, ?, ?> subscription : updates.activeSubscriptions()) {
            if (subscription.getPayload() instanceof FindDocumentStatusQuery query) {
                open.add(query);
            }
        }
        return open;
    }

    /** The committed row, scoped by tenant as every read is: a notice naming another tenant's document finds none. */
    private Optional<DocumentStatusView> readStatus(TenantId tenant, DocumentId document) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(READ_STATUS)) {
            statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            statement.setObject(1, document.value());
            statement.setObject(2, tenant.value());
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new DocumentStatusView(row.getString(1), row.getString(2), row.getInt(3),
                        row.getInt(4), row.getInt(5), row.getString(6)));
            }
        }
    }

    private void emit(TenantId tenant, DocumentId document, DocumentStatusView view) {
        updates.emit(FindDocumentStatusQuery.class,
                query -> query.tenantId().equals(tenant) && query.documentId().equals(document), view);
    }

    private void release() {
        if (connection != null) {
            discard(connection);
            connection = null;
        }
    }

    /**
     * Closes the connection for good rather than handing it back to the pool, where it would keep listening (and
     * the driver would keep buffering notifications nobody reads).
     */
    private void discard(Connection listening) {
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                dataSource.unwrap(HikariDataSource.class).evictConnection(listening);
                return;
            }
        } catch (SQLException | RuntimeException e) {
            // fall back to UNLISTEN and close
        }
        try (listening; Statement statement = listening.createStatement()) {
            statement.execute("UNLISTEN *");
        } catch (SQLException e) {
            // a broken connection: the pool drops it when it fails its next validation
        }
    }
}
