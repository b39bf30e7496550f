package io.dynamicrag.bench.speed;

import java.nio.file.Path;

/** Which implementation of {@link SearchUnderTest} this build measures. */
final class SearchUnderTests {

    private SearchUnderTests() {
    }

    static SearchUnderTest create(Path dataDir, int dimensions) {
        return new ProcessorsIndexSearch(dataDir);
    }
}
