package io.dynamicrag.query.mcp;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolArgumentsTest {

    private static ToolArguments of(Map<String, Object> values) {
        return ToolArguments.of(values, List.of("query", "top_k", "filters"));
    }

    @Test
    void shouldRefuseUnknownArgumentsByName() {
        assertThatThrownBy(() -> of(Map.of("query", "x", "tenant_id", "t")))
                .isInstanceOf(ToolError.class)
                .hasMessage("Unknown argument(s) [tenant_id]; allowed: [filters, query, top_k]");
    }

    @Test
    void shouldReadIntegersSentAsJsonNumbersOfAnyKind() {
        assertThat(of(Map.of("top_k", 5)).optionalInt("top_k", 1, 100, 10)).isEqualTo(5);
        assertThat(of(Map.of("top_k", 5L)).optionalInt("top_k", 1, 100, 10)).isEqualTo(5);
        assertThat(of(Map.of("top_k", 5.0)).optionalInt("top_k", 1, 100, 10)).isEqualTo(5);
        assertThat(of(Map.of()).optionalInt("top_k", 1, 100, 10)).isEqualTo(10);
        assertThatThrownBy(() -> of(Map.of("top_k", 5.5)).optionalInt("top_k", 1, 100, 10))
                .hasMessage("top_k must be an integer");
        assertThatThrownBy(() -> of(Map.of("top_k", 1e12)).optionalInt("top_k", 1, 100, 10))
                .hasMessage("top_k must be between 1 and 100 (was 1000000000000)");
    }

    @Test
    void shouldTreatNullAsAbsent() {
        Map<String, Object> values = new HashMap<>();
        values.put("top_k", null);
        assertThat(of(values).optionalInt("top_k", 1, 100, 10)).isEqualTo(10);
        assertThatThrownBy(() -> of(values).requiredText("query", 10)).hasMessage("query is required");
    }

    @Test
    void shouldReadFiltersWithTheirOwnAllowedFields() {
        ToolArguments arguments = of(Map.of("filters", Map.of("doc_type", "PDF", "metadata", Map.of("year", 2024))));
        var filters = SearchFilterArguments.read(arguments);
        assertThat(filters.docType()).isEqualTo("pdf");
        assertThat(filters.metadata()).containsEntry("year", "2024");
        assertThatThrownBy(() -> SearchFilterArguments.read(of(Map.of("filters", Map.of(
                "created_after", "2026-02-01T00:00:00Z", "created_before", "2026-01-01T00:00:00Z")))))
                .hasMessage("filters.created_after must be before filters.created_before");
        assertThatThrownBy(() -> SearchFilterArguments.read(of(Map.of("filters", "pdf"))))
                .hasMessage("filters must be an object");
    }
}
