package io.dynamicrag.command.ingestion;

import org.apache.tika.detect.DefaultDetector;
import org.apache.tika.detect.Detector;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The document types the service reads, and how an uploaded file's type is decided: by its bytes (magic numbers)
 * first, with the file name and the declared Content-Type as hints. A PDF renamed to .txt is still a PDF.
 */
final class DocumentTypes {

    static final String WEBPAGE = "webpage";

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "pdf", "application/pdf",
            "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "html", "text/html",
            "md", "text/markdown",
            "txt", "text/plain",
            WEBPAGE, "text/html");
    private static final Detector DETECTOR = new DefaultDetector();

    private DocumentTypes() {
    }

    static String contentType(String docType) {
        return docType == null ? "application/octet-stream"
                : CONTENT_TYPES.getOrDefault(docType, "application/octet-stream");
    }

    /** The type of uploaded bytes, or empty when the service cannot read it. */
    static Optional<String> detect(InputStream bytes, String filename, String declaredContentType) {
        Metadata metadata = new Metadata();
        if (filename != null) {
            metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        }
        if (declaredContentType != null) {
            metadata.set(Metadata.CONTENT_TYPE, declaredContentType);
        }
        try (InputStream in = new BufferedInputStream(bytes)) {
            MediaType type = DETECTOR.detect(in, metadata);
            return fromMediaType(type, filename);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> fromMediaType(MediaType type, String filename) {
        String base = type.getBaseType().toString();
        String extension = filename == null || !filename.contains(".") ? ""
                : filename.substring(filename.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (base) {
            case "application/pdf" -> Optional.of("pdf");
            case "application/vnd.openxmlformats-officedocument.wordprocessingml.document" -> Optional.of("docx");
            case "text/html", "application/xhtml+xml" -> Optional.of("html");
            case "text/markdown", "text/x-markdown" -> Optional.of("md");
            case "text/plain" -> Optional.of("md".equals(extension) || "markdown".equals(extension) ? "md" : "txt");
            default -> Optional.empty();
        };
    }
}
