package io.dynamicrag.query.usage;

import io.dynamicrag.query.usage.UsageViews.ExportRow;
import org.apache.commons.csv.CSVFormat;

import java.util.Map;
import java.util.TreeMap;

/**
 * Usage rows as RFC 4180 CSV (Apache Commons CSV: quotes, doubled quotes, CRLF) that a spreadsheet opens as is: the
 * body starts with a UTF-8 byte-order mark (Excel otherwise guesses a legacy code page), and text cells that a
 * spreadsheet would run as a formula (starting with = + - @, tab or carriage return) are prefixed with an
 * apostrophe (OWASP's CSV injection advice). Numbers are written plain and never prefixed.
 */
final class UsageCsv {

    static final String BYTE_ORDER_MARK = "\uFEFF";
    static final String[] HEADER = {"timestamp", "metric_type", "metric_value", "cost_usd", "document_id",
            "document_title", "details"};
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

    private UsageCsv() {
    }

    static String header() {
        return BYTE_ORDER_MARK + FORMAT.format((Object[]) HEADER) + "\r\n";
    }

    static String row(ExportRow row) {
        return FORMAT.format(row.timestamp() == null ? "" : row.timestamp().toString(), text(row.metricType()),
                row.metricValue(), PlainDecimalSerializer.plain(row.costUsd()), text(row.documentId()),
                text(row.documentTitle()), text(details(row.details()))) + "\r\n";
    }

    /** A text cell a spreadsheet will show as text, never evaluate. */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            return "'" + value;
        }
        return value;
    }

    /** {@code key=value; key=value}, keys sorted: readable in a cell, stable for diffs. */
    private static String details(Map<String, String> details) {
        if (details == null || details.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        new TreeMap<>(details).forEach((k, v) -> {
            if (!out.isEmpty()) {
                out.append("; ");
            }
            out.append(k).append('=').append(v);
        });
        return out.toString();
    }
}
