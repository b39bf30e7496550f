package io.dynamicrag.query.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code from} (inclusive) and {@code to} (exclusive), each an ISO date ({@code 2026-11-01}, UTC) or date-time
 * ({@code 2026-11-01T08:00:00Z}). A date as {@code to} includes that whole day.
 */
record TimeRange(Instant from, Instant to) {

    static TimeRange parse(String from, String to, Instant defaultFrom, Instant now) {
        Instant start = from == null || from.isBlank() ? defaultFrom : instant("from", from, false);
        Instant end = to == null || to.isBlank() ? now : instant("to", to, true);
        if (!start.isBefore(end)) {
            throw new InvalidParameterException("from", "must be before to");
        }
        return new TimeRange(start, end);
    }

    OffsetDateTime fromUtc() {
        return from.atOffset(ZoneOffset.UTC);
    }

    OffsetDateTime toUtc() {
        return to.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(String name, String value, boolean endOfDay) {
        String text = value.trim();
        try {
            if (text.length() == 10) {
                LocalDate date = LocalDate.parse(text);
                return (endOfDay ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(name, "must be an ISO date (2026-11-01) or date-time "
                    + "(2026-11-01T00:00:00Z)");
        }
    }
}
