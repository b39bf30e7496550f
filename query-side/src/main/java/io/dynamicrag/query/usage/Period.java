package io.dynamicrag.query.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** The bucket of a time series: a UTC day, an ISO week (from Monday) or a calendar month. */
enum Period {
    DAY, WEEK, MONTH;

    static Period parse(String value) {
        if (value == null || value.isBlank()) {
            return DAY;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("period", "must be one of day, week, month");
        }
    }

    /** PostgreSQL's {@code date_trunc} unit. */
    String unit() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The default range ends now and covers the last 30 days, 12 weeks or 12 months, whole buckets. */
    Instant defaultFrom(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate start = switch (this) {
            case DAY -> today.minusDays(29);
            case WEEK -> today.with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)).minusWeeks(11);
            case MONTH -> today.withDayOfMonth(1).minusMonths(11);
        };
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** An upper bound of the bucket count of a range, to refuse absurd series. */
    long approximateBuckets(Instant from, Instant to) {
        long days = Duration.between(from, to).toDays() + 1;
        return switch (this) {
            case DAY -> days;
            case WEEK -> days / 7 + 1;
            case MONTH -> ChronoUnit.MONTHS.between(from.atZone(ZoneOffset.UTC), to.atZone(ZoneOffset.UTC)) + 1;
        };
    }
}
