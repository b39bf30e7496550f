package io.dynamicrag.query.usage;

/** Query parameters read by hand, so that a bad one answers 400 naming it rather than a type-conversion error. */
final class Parameters {

    private Parameters() {
    }

    static int intBetween(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidParameterException(name, "must be a whole number between " + min + " and " + max);
    }

    static boolean descending(String order) {
        if (order == null || order.isBlank() || order.trim().equalsIgnoreCase("desc")) {
            return true;
        }
        if (order.trim().equalsIgnoreCase("asc")) {
            return false;
        }
        throw new InvalidParameterException("order", "must be asc or desc");
    }
}
