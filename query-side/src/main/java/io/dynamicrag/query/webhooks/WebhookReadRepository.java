package io.dynamicrag.query.webhooks;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.r2dbc.spi.Readable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Reads the webhook read model through R2DBC, always scoped by tenant. */
@Repository
class WebhookReadRepository {

    private static final String COLUMNS = """
            id, name, webhook_url, trigger_type, config::text AS config, is_active, last_triggered_at, created_at""";

    private final DatabaseClient db;
    private final String publicUrl;

    WebhookReadRepository(DatabaseClient db, @Value("${rag.public-url:http://localhost:8080}") String publicUrl) {
        this.db = db;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    Flux<WebhookView> list(TenantId tenant) {
        return db.sql("SELECT " + COLUMNS + " FROM webhooks WHERE customer_id = :tenant ORDER BY created_at, id")
                .bind("tenant", tenant.value())
                .map(this::view)
                .all();
    }

    Mono<WebhookView> find(TenantId tenant, WebhookId webhook) {
        return db.sql("SELECT " + COLUMNS + " FROM webhooks WHERE id = :id AND customer_id = :tenant")
                .bind("id", webhook.value())
                .bind("tenant", tenant.value())
                .map(this::view)
                .one();
    }

    private WebhookView view(Readable row) {
        return new WebhookView(
                row.get("id", UUID.class).toString(),
                row.get("name", String.class),
                publicUrl + row.get("webhook_url", String.class),
                row.get("trigger_type", String.class),
                new RawJson(row.get("config", String.class)),
                Boolean.TRUE.equals(row.get("is_active", Boolean.class)),
                row.get("last_triggered_at", OffsetDateTime.class),
                row.get("created_at", OffsetDateTime.class));
    }
}
