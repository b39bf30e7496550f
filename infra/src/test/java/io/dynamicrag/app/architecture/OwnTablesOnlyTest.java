package io.dynamicrag.app.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

/** The table-ownership condition itself, on fixture classes whose SQL takes the shapes javac compiles differently. */
class OwnTablesOnlyTest {

    /** Every fixture plays a class of the processors module. */
    private static final Function<JavaClass, String> PROCESSORS = type -> TableOwnership.PROCESSORS;

    @Test
    void failsForAClassThatReadsAnotherModulesTables() {
        EvaluationResult result = evaluate(ReadsForeignTables.class, Map.of());

        assertThat(result.hasViolation()).isTrue();
        List<String> details = result.getFailureReport().getDetails();
        assertThat(details).hasSize(3);
        assertThat(details).anySatisfy(d -> assertThat(d)
                .contains("names table documents, owned by query-side").contains("SELECT title FROM documents"));
        assertThat(details).anySatisfy(d -> assertThat(d)
                .contains("names table customer_config, owned by query-side"));
        assertThat(details).anySatisfy(d -> assertThat(d)
                .contains("names table document_versions, owned by query-side"));
        assertThat(details).noneMatch(d -> d.contains("tenant_index_generations"));
    }

    @Test
    void passesForAClassThatNamesOnlyItsOwnTables() {
        assertThat(evaluate(ReadsOwnTables.class, Map.of()).hasViolation()).isFalse();
    }

    @Test
    void anExceptionAllowsExactlyTheTablesItLists() {
        String fixture = ReadsForeignTables.class.getName();
        assertThat(evaluate(ReadsForeignTables.class,
                Map.of(fixture, Set.of("documents", "customer_config", "document_versions"))).hasViolation())
                .isFalse();
        EvaluationResult partly = evaluate(ReadsForeignTables.class,
                Map.of(fixture, Set.of("documents", "customer_config")));
        assertThat(partly.getFailureReport().getDetails()).singleElement().asString().contains("document_versions");
    }

    /** Text blocks and folded constants are one constant; a run-time concatenation leaves its recipe. */
    @Test
    void textBlocksAndConcatenationsAreConstantsOfTheClassFile() {
        JavaClass type = new ClassFileImporter().importClasses(ReadsForeignTables.class).get(ReadsForeignTables.class);
        List<String> strings = ClassFileStrings.of(type.getSource().orElseThrow().getUri());

        assertThat(strings).contains("SELECT title\nFROM documents WHERE id = ?");
        assertThat(strings).contains("SELECT embedding_model FROM customer_config WHERE \u0001 = ?");
        assertThat(strings).contains("SELECT version FROM document_versions WHERE document_id = ?");
    }

    @Test
    void findsTablesAfterEachKeywordAndNothingElse() {
        OwnTablesOnly condition = new OwnTablesOnly(TableOwnership.OWNERS, PROCESSORS, Map.of());

        assertThat(condition.tablesIn("DELETE FROM webhooks WHERE id = ?")).containsExactly("webhooks");
        assertThat(condition.tablesIn("INSERT INTO usage_metrics (id) VALUES (?)")).containsExactly("usage_metrics");
        assertThat(condition.tablesIn("update documents set title = ?")).containsExactly("documents");
        assertThat(condition.tablesIn("SELECT 1 FROM documents d JOIN document_versions v ON v.document_id = d.id"))
                .containsExactly("document_versions", "documents");
        assertThat(condition.tablesIn("TRUNCATE TABLE customers")).containsExactly("customers");
        assertThat(condition.tablesIn("DROP TABLE IF EXISTS pending_uploads")).containsExactly("pending_uploads");
        // a column or alias named like a table, upserts, subqueries and functions are not table references
        assertThat(condition.tablesIn("""
                INSERT INTO tenant_index_generations (customer_id, documents) VALUES (?, ?)
                ON CONFLICT (customer_id) DO UPDATE SET documents = EXCLUDED.documents""")).containsExactly(
                "tenant_index_generations");
        assertThat(condition.tablesIn("SELECT x FROM (SELECT 1) customers, unnest(?) documents")).isEmpty();
        assertThat(condition.tablesIn("documents")).isEmpty();
    }

    private static EvaluationResult evaluate(Class<?> fixture, Map<String, Set<String>> exceptions) {
        JavaClasses imported = new ClassFileImporter().importClasses(fixture);
        return classes().should(new OwnTablesOnly(TableOwnership.OWNERS, PROCESSORS, exceptions)).evaluate(imported);
    }

    /** Reads query-side tables three ways: a text block, a run-time concatenation, a folded constant. */
    @SuppressWarnings("unused")
    static final class ReadsForeignTables {

        private static final String VERSIONS = "document_versions";

        String textBlock() {
            return """
                    SELECT title
                    FROM documents WHERE id = ?""";
        }

        String concatenated(String column) {
            return "SELECT embedding_model FROM customer_config WHERE " + column + " = ?";
        }

        String folded() {
            return "SELECT version FROM " + VERSIONS + " WHERE document_id = ?";
        }

        String own() {
            return "SELECT generation FROM tenant_index_generations WHERE customer_id = ?";
        }
    }

    /** Writes and reads only processors' tables; mentions other tables only in prose. */
    @SuppressWarnings("unused")
    static final class ReadsOwnTables {

        String sql() {
            return "INSERT INTO webhook_callback_deliveries (id) VALUES (?)";
        }

        String message() {
            return "the documents of a tenant, their customer_config and their webhooks";
        }
    }
}
