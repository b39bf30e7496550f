package io.dynamicrag.query.tenancy;

import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.r2dbc.spi.Readable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The caller's own account as the read model shows it. Never another tenant's: the id comes from the credential. */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
class AccountQueryController {

    private final DatabaseClient db;

    AccountQueryController(DatabaseClient db) {
        this.db = db;
    }

    @GetMapping("/api/auth/me")
    Mono<Me> me(@AuthenticationPrincipal AuthenticatedTenant caller) {
        return profile(caller).map(p -> new Me(p.customerId(), p.email(), p.companyName(), p.status(),
                p.role(), caller.credential().name().toLowerCase(), p.createdAt()));
    }

    @GetMapping("/api/customers/profile")
    Mono<Profile> profile(@AuthenticationPrincipal AuthenticatedTenant caller) {
        return db.sql("SELECT id, email, company_name, status, role, created_at, updated_at FROM customers "
                        + "WHERE id = :id")
                .bind("id", caller.tenantId().value())
                .map(row -> new Profile(row.get("id", UUID.class).toString(), row.get("email", String.class),
                        row.get("company_name", String.class), row.get("status", String.class),
                        row.get("role", String.class), row.get("created_at", OffsetDateTime.class),
                        row.get("updated_at", OffsetDateTime.class)))
                .one()
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "Account not found")));
    }

    @GetMapping("/api/customers/config")
    Mono<Config> config(@AuthenticationPrincipal AuthenticatedTenant caller) {
        return db.sql("SELECT * FROM customer_config WHERE customer_id = :id")
                .bind("id", caller.tenantId().value())
                .map((Readable row) -> config(row))
                .one()
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "Configuration not found")));
    }

    private static Config config(Readable row) {
        String[] types = row.get("allowed_document_types", String[].class);
        String configured = row.get("embedding_model", String.class);
        String active = row.get("active_embedding_model", String.class);
        String error = row.get("reembedding_error", String.class);
        String status = configured.equals(active) ? "ready" : error == null ? "reembedding" : "failed";
        return new Config(
                row.get("rate_limit_requests_per_minute", Integer.class),
                row.get("rate_limit_requests_per_day", Integer.class),
                row.get("max_documents", Integer.class),
                row.get("max_file_size_mb", Integer.class),
                types == null ? List.of() : Arrays.asList(types),
                row.get("chunking_size", Integer.class),
                row.get("chunking_overlap", Integer.class),
                row.get("chunking_strategy", String.class),
                configured,
                active,
                status,
                configured.equals(active) ? null : error,
                row.get("openai_api_key_masked", String.class),
                row.get("updated_at", OffsetDateTime.class));
    }

    record Profile(String customerId, String email, String companyName, String status, String role,
                   OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    record Me(String customerId, String email, String companyName, String status, String role,
              String authenticatedWith, OffsetDateTime createdAt) {
    }

    /**
     * {@code openai_api_key} is only ever the masked form ({@code sk-…abcd}). {@code embedding_model} is the model
     * asked for, {@code active_embedding_model} the one search runs on; while they differ the chunks are being
     * embedded again ({@code embedding_status} "reembedding") or that failed ("failed", {@code embedding_error}).
     */
    record Config(int rateLimitRequestsPerMinute, int rateLimitRequestsPerDay, int maxDocuments, int maxFileSizeMb,
                  List<String> allowedDocumentTypes, int chunkingSize, int chunkingOverlap, String chunkingStrategy,
                  String embeddingModel, String activeEmbeddingModel, String embeddingStatus, String embeddingError,
                  String openaiApiKey, OffsetDateTime updatedAt) {
    }
}
