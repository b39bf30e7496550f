package io.dynamicrag.query.documents;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells every node that a document's status changed, through PostgreSQL's {@code pg_notify} on the projection's own
 * JDBC connection: the notification is part of the projection's transaction, so it goes out when the row commits
 * and never for a rolled-back update (nor for a handler whose savepoint was rolled back into the dead-letter queue).
 * {@link DocumentStatusListener} turns it into the subscription-query update on whichever node has the subscriber.
 */
@Component
class DocumentStatusBroadcast {

    private final JdbcTemplate jdbc;

    DocumentStatusBroadcast(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void changed(TenantId tenant, DocumentId document) {
        send(DocumentStatusNotice.changed(tenant, document));
    }

    void deleted(TenantId tenant, DocumentId document, int lastVersion) {
        send(DocumentStatusNotice.deleted(tenant, document, lastVersion));
    }

    private void send(DocumentStatusNotice notice) {
        // pg_notify returns void: a SELECT, its one row ignored (JdbcTemplate.update refuses a result set)
        jdbc.query("SELECT pg_notify(?, ?)", rows -> null, DocumentStatusNotice.CHANNEL, notice.payload());
    }
}
