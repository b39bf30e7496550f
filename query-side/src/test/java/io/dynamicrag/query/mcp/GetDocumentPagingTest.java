package io.dynamicrag.query.mcp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class GetDocumentPagingTest {

    private static GetDocumentTool.TextPage page(String text, long offset, int limit) throws IOException {
        return GetDocumentTool.page(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), offset, limit);
    }

    @Test
    void shouldReturnThePageAndTheLengthOfTheWholeText() throws IOException {
        assertThat(page("abcdefghij", 0, 4)).isEqualTo(new GetDocumentTool.TextPage("abcd", 10));
        assertThat(page("abcdefghij", 4, 4)).isEqualTo(new GetDocumentTool.TextPage("efgh", 10));
        assertThat(page("abcdefghij", 8, 4)).isEqualTo(new GetDocumentTool.TextPage("ij", 10));
        assertThat(page("abcdefghij", 10, 4)).isEqualTo(new GetDocumentTool.TextPage("", 10));
        assertThat(page("abcdefghij", 25, 4)).isEqualTo(new GetDocumentTool.TextPage("", 10));
    }

    @Test
    void shouldCountMultiByteCharactersAsCharacters() throws IOException {
        assertThat(page("Grüße aus Köln", 6, 3)).isEqualTo(new GetDocumentTool.TextPage("aus", 14));
    }

    @Test
    void shouldNeverEndAPageBetweenTheHalvesOfASurrogatePair() throws IOException {
        String text = "ab\uD83D\uDE00cd"; // an emoji is two UTF-16 code units
        GetDocumentTool.TextPage first = page(text, 0, 3);
        assertThat(first).isEqualTo(new GetDocumentTool.TextPage("ab", 6));
        assertThat(page(text, 2, 3).text()).isEqualTo("\uD83D\uDE00c");
        assertThat(page("a\uD83D\uDE00", 0, 2).text()).isEqualTo("a");
        assertThat(page("a\uD83D\uDE00", 0, 3).text()).isEqualTo("a\uD83D\uDE00");
    }

    @Test
    void shouldStreamTextsLargerThanOnePage() throws IOException {
        String text = "0123456789".repeat(50_000);
        GetDocumentTool.TextPage page = page(text, 123_456, 20_000);
        assertThat(page.total()).isEqualTo(500_000);
        assertThat(page.text()).isEqualTo(text.substring(123_456, 143_456));
    }
}
