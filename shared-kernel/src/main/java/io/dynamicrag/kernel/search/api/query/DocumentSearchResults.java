package io.dynamicrag.kernel.search.api.query;

import java.util.List;

public record DocumentSearchResults(List<DocumentHit> results) {
}
