package io.dynamicrag.command.web;

import java.util.Map;
import java.util.Optional;

/**
 * Text that PostgreSQL can store: no NUL character (U+0000) and no unpaired UTF-16 surrogate. JSON may carry both
 * ({@code "\u0000"}, {@code "\ud800"}); the event store's insert (its jsonb tenant trigger) and every text column refuse
 * them, so a title or metadata value holding one was accepted and then answered 500 (found by
 * {@code scripts/drill.sh fuzz}). Checked where client text enters a command, so it is a 400 naming the field.
 */
public final class StorableText {

    private StorableText() {
    }

    /** Why {@code value} cannot be stored, or empty when it can (null can). */
    public static Optional<String> problem(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return Optional.of("must not contain the NUL character (U+0000)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("must not contain an unpaired UTF-16 surrogate (\\u"
                        + Integer.toHexString(c) + ")");
            }
        }
        return Optional.empty();
    }

    /** The first key or value of {@code map} that cannot be stored, as "field.key: problem". */
    public static Optional<String> problemIn(String field, Map<String, ?> map) {
        if (map == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, ?> entry : map.entrySet()) {
            Optional<String> key = problem(entry.getKey());
            if (key.isPresent()) {
                return Optional.of(field + " keys " + key.get());
            }
            Optional<String> value = problem(entry.getValue() == null ? null : String.valueOf(entry.getValue()));
            if (value.isPresent()) {
                return Optional.of(field + "." + entry.getKey() + ": " + value.get());
            }
        }
        return Optional.empty();
    }
}
