package io.dynamicrag.app.architecture;

import com.tngtech.archunit.core.domain.JavaClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which module owns each PostgreSQL table: the one module whose classes may name it in SQL. Everyone else gets the
 * data through the kernel (a query on the query bus, or the events, projected into a table of its own). The map
 * is written here once, next to the rule that enforces it; {@code ArchitectureTest} checks that it names exactly
 * the tables the Flyway migrations create, so a new table cannot be added without deciding its owner.
 */
public final class TableOwnership {

    public static final String SHARED_KERNEL = "shared-kernel";
    public static final String COMMAND_SIDE = "command-side";
    public static final String QUERY_SIDE = "query-side";
    public static final String PROCESSORS = "processors";
    public static final String INFRA = "infra";

    /** table -> owning module. The shared kernel owns none: it has no database. */
    public static final Map<String, String> OWNERS = Map.ofEntries(
            // Axon's own tables: the Axon wiring (event store, token store, saga store, dead-letter queue) is in
            // infra; the other modules reach them only through Axon's APIs (gateways, SagaStore, processors)
            Map.entry("domain_event_entry", INFRA),
            Map.entry("snapshot_event_entry", INFRA),
            Map.entry("token_entry", INFRA),
            Map.entry("saga_entry", INFRA),
            Map.entry("association_value_entry", INFRA),
            Map.entry("dead_letter_entry", INFRA),
            // cluster membership (ClusterNodeRegistry, SegmentReleases)
            Map.entry("cluster_nodes", INFRA),
            Map.entry("cluster_segment_releases", INFRA),
            // written in the command's transaction by command handlers
            Map.entry("tenant_credentials", COMMAND_SIDE),
            Map.entry("document_registry", COMMAND_SIDE),
            Map.entry("tenant_document_counts", COMMAND_SIDE),
            Map.entry("pending_uploads", COMMAND_SIDE),
            Map.entry("webhook_endpoints", COMMAND_SIDE),
            // read models written by the projections
            Map.entry("customers", QUERY_SIDE),
            Map.entry("customer_config", QUERY_SIDE),
            Map.entry("documents", QUERY_SIDE),
            Map.entry("document_versions", QUERY_SIDE),
            Map.entry("usage_metrics", QUERY_SIDE),
            Map.entry("webhooks", QUERY_SIDE),
            // the processors' own state: index generations (IndexGenerationProjection) and completion callbacks
            Map.entry("tenant_index_generations", PROCESSORS),
            Map.entry("webhook_document_versions", PROCESSORS),
            Map.entry("webhook_callback_deliveries", PROCESSORS));

    private static final Pattern CREATE_TABLE =
            Pattern.compile("(?i)\\bCREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([a-z_][a-z0-9_]*)");

    private TableOwnership() {
    }

    /** The module a production class belongs to, by its top-level package. */
    public static String moduleOf(JavaClass type) {
        String name = type.getPackageName();
        if (name.startsWith("io.dynamicrag.kernel")) {
            return SHARED_KERNEL;
        }
        if (name.startsWith("io.dynamicrag.command")) {
            return COMMAND_SIDE;
        }
        if (name.startsWith("io.dynamicrag.query")) {
            return QUERY_SIDE;
        }
        if (name.startsWith("io.dynamicrag.processing")) {
            return PROCESSORS;
        }
        if (name.startsWith("io.dynamicrag.app")) {
            return INFRA;
        }
        throw new IllegalArgumentException("no module for package " + name + " (" + type.getName() + ")");
    }

    /** Every table the Flyway migrations create (from {@code db/migration} on the class path). */
    public static Set<String> migrationTables() {
        URL migrations = TableOwnership.class.getClassLoader().getResource("db/migration");
        if (migrations == null) {
            throw new IllegalStateException("db/migration is not on the class path");
        }
        Set<String> tables = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of(migrations.toURI()))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".sql")).toList()) {
                Matcher m = CREATE_TABLE.matcher(Files.readString(file));
                while (m.find()) {
                    tables.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return tables;
    }
}
