package io.dynamicrag.processing.parsing;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TikaDocumentParserTest {

    private final TikaDocumentParser parser = new TikaDocumentParser(1000);

    @Test
    void utf8PlainTextIsReadAsIs() {
        String text = "Zürich — naïve café, 東京\r\n\r\n\r\n\r\nsecond paragraph   \nend";
        TikaDocumentParser.ParsedText parsed = parser.parse(text.getBytes(StandardCharsets.UTF_8), "txt");
        assertThat(parsed.text()).isEqualTo("Zürich — naïve café, 東京\n\nsecond paragraph\nend");
        assertThat(parsed.pageCount()).isNull();
    }

    @Test
    void aByteOrderMarkIsNotText() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "# Title\n\nBody".getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, content, 0, bom.length);
        System.arraycopy(body, 0, content, bom.length, body.length);
        assertThat(parser.parse(content, "md").text()).isEqualTo("# Title\n\nBody");
    }

    @Test
    void textInAnotherCharsetGoesThroughTikasDetection() {
        String text = "Les élèves étudient à Genève. Ça se passe très bien, même en été, après les fêtes.";
        TikaDocumentParser.ParsedText parsed = parser.parse(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), "txt");
        assertThat(parsed.text()).isEqualTo(text);
    }

    @Test
    void plainTextOverTheLimitIsRefused() {
        assertThatThrownBy(() -> parser.parse("x".repeat(1001).getBytes(StandardCharsets.UTF_8), "txt"))
                .isInstanceOf(DocumentUnreadableException.class)
                .hasMessage("the document has more than 1000 characters of text");
        assertThatThrownBy(() -> parser.parse("é".repeat(3000).getBytes(StandardCharsets.UTF_8), "md"))
                .isInstanceOf(DocumentUnreadableException.class)
                .hasMessageContaining("more than 1000 characters");
    }

    @Test
    void otherFormatsStillGoThroughTika() {
        String html = "<html><body><h1>Heading</h1><p>Paragraph text</p></body></html>";
        assertThat(parser.parse(html.getBytes(StandardCharsets.UTF_8), "html").text())
                .contains("Heading").contains("Paragraph text").doesNotContain("<p>");
    }
}
