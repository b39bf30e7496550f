package io.dynamicrag.kernel.search.api.query;

import java.util.List;

public record SearchResults(List<SearchHit> results) {
}
