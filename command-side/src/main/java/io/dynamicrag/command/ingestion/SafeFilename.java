package io.dynamicrag.command.ingestion;

/**
 * A client's file name reduced to something safe to show and store as metadata: the last path segment only (no
 * directories, so "../../etc/passwd" is "passwd"), no control characters, at most 255 characters. It is never
 * used to build a storage key.
 */
final class SafeFilename {

    private SafeFilename() {
    }

    static String of(String name) {
        if (name == null) {
            return "";
        }
        String last = name.replace('\\', '/');
        last = last.substring(last.lastIndexOf('/') + 1);
        last = last.replaceAll("[\\p{Cntrl}]", "").strip();
        if (last.equals(".") || last.equals("..")) {
            return "";
        }
        return last.length() > 255 ? last.substring(last.length() - 255) : last;
    }
}
