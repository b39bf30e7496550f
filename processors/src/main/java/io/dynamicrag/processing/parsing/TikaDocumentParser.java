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
import java.util.Map;

/** Extracts plain text (and the page count, where the format has pages) with Apache Tika. */
public class TikaDocumentParser {

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "txt", "text/plain",
            "md", "text/markdown",
            "html", "text/html",
            "pdf", "application/pdf",
            "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

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
