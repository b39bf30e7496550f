package io.dynamicrag.processing.parsing;

import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.metadata.HttpHeaders;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.PagedText;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;
import org.xml.sax.SAXException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Extracts plain text (and the page count, where the format has pages) with Apache Tika. Plain text and Markdown in
 * UTF-8 (nearly all of them) are decoded directly: Tika's type and charset detection cost more than the rest of the
 * document's pipeline put together, and have nothing to find there. Any other bytes still go through Tika.
 */
public class TikaDocumentParser {

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "txt", "text/plain",
            "md", "text/markdown",
            "html", "text/html",
            "pdf", "application/pdf",
            "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

    private static final Set<String> PLAIN_TEXT = Set.of("txt", "md");

    private final AutoDetectParser parser = new AutoDetectParser();
    private final int maxCharacters;

    public TikaDocumentParser(int maxCharacters) {
        this.maxCharacters = maxCharacters;
    }

    public ParsedText parse(byte[] content, String docType) {
        return parse(new ByteArrayInputStream(content), docType);
    }

    /** Reads the document as a stream (closed here): large files never need to sit in memory whole. */
    public ParsedText parse(InputStream content, String docType) {
        if (PLAIN_TEXT.contains(docType)) {
            return parsePlainText(content, docType);
        }
        return parseWithTika(content, docType);
    }

    private ParsedText parsePlainText(InputStream content, String docType) {
        byte[] head;
        try {
            // a UTF-8 character takes at most 4 bytes: more than this many bytes is more than maxCharacters
            head = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, 4L * maxCharacters + 4));
        } catch (IOException e) {
            closeQuietly(content);
            throw new DocumentUnreadableException("the document could not be read: " + rootMessage(e));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head)).toString();
        } catch (CharacterCodingException notUtf8) {
            // another charset (or a cut character at the end of a long file): Tika detects it
            return parseWithTika(new SequenceInputStream(new ByteArrayInputStream(head), content), docType);
        }
        closeQuietly(content);
        if (text.length() > maxCharacters) {
            throw new DocumentUnreadableException("the document has more than " + maxCharacters
                    + " characters of text");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return new ParsedText(normalise(text), null);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing left to read from it
        }
    }

    private ParsedText parseWithTika(InputStream content, String docType) {
        Metadata metadata = new Metadata();
        String contentType = CONTENT_TYPES.get(docType);
        if (contentType != null) {
            metadata.set(HttpHeaders.CONTENT_TYPE, contentType);
        }
        BodyContentHandler handler = new BodyContentHandler(maxCharacters);
        try (InputStream in = content) {
            parser.parse(in, handler, metadata, new ParseContext());
        } catch (SAXException e) {
            if (WriteLimitReachedException.isWriteLimitReached(e)) {
                throw new DocumentUnreadableException("the document has more than " + maxCharacters
                        + " characters of text");
            }
            throw new DocumentUnreadableException("the document could not be read: " + e.getMessage());
        } catch (org.apache.tika.exception.EncryptedDocumentException e) {
            throw new DocumentUnreadableException("the document is encrypted (password-protected); "
                    + "upload an unprotected copy");
        } catch (TikaException e) {
            throw new DocumentUnreadableException("the document could not be read: " + rootMessage(e));
        } catch (IOException | RuntimeException e) {
            // parsers of damaged files also fail with runtime exceptions (POI, PDFBox)
            throw new DocumentUnreadableException("the document could not be read: " + rootMessage(e));
        }
        String text = normalise(handler.toString());
        Integer pages = metadata.getInt(PagedText.N_PAGES);
        return new ParsedText(text, pages);
    }

    /** The innermost cause says what is wrong with the file (e.g. "Zip bomb detected!"), the wrappers do not. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 300 ? message.substring(0, 300) : message;
    }

    /** Collapses the blank-line runs and trailing spaces that HTML and PDF extraction leave behind. */
    private static String normalise(String text) {
        return text.replace("\r\n", "\n")
                .replaceAll("[ \\t\\x0B\\f]+\\n", "\n")
                .replaceAll("\\n{3,}", "\n\n")
                .strip();
    }

    public record ParsedText(String text, Integer pageCount) {
    }
}
