package io.dynamicrag.app.database;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the PostgreSQL database is, parsed from a {@code DATABASE_URL}.
 *
 * <p>Accepted forms (user and password are optional, percent-encoded characters are decoded):
 * <ul>
 *   <li>{@code postgresql://user:pass@host:port/db?params}</li>
 *   <li>{@code postgres://user:pass@host:port/db?params}</li>
 *   <li>{@code jdbc:postgresql://host:port/db?user=..&password=..&params}</li>
 * </ul>
 * {@code user} and {@code password} may also be given as query parameters in the first two forms (a value in the
 * user-info part wins). The port defaults to 5432; the database name is required. Characters such as {@code @ / ? #
 * :} inside the user name or password must be percent-encoded, as RFC 3986 requires.
 *
 * <p>The password never appears in {@link #toString()} or in any exception message.
 *
 * @param host       host name or IP address (IPv6 without brackets)
 * @param port       TCP port
 * @param database   database name
 * @param username   user name, or {@code null} when absent
 * @param password   password, or {@code null} when absent
 * @param parameters the remaining query parameters (without {@code user} and {@code password}), in URL order
 */
public record DatabaseUrl(String host, int port, String database, String username, String password,
                          Map<String, String> parameters) {

    public static final int DEFAULT_PORT = 5432;

    private static final String JDBC_PREFIX = "jdbc:";

    public DatabaseUrl {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("DATABASE_URL: the host is missing");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("DATABASE_URL: the port must be between 1 and 65535, got " + port);
        }
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException(
                    "DATABASE_URL: the database name is missing (expected .../<database> after host:port)");
        }
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Parses one of the accepted forms.
     *
     * @throws IllegalArgumentException when the text is not a PostgreSQL URL this class understands; the message
     *                                  says what is wrong and never contains the password
     */
    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("DATABASE_URL is empty");
        }
        String text = url.strip();
        int schemeEnd = text.indexOf("://");
        if (schemeEnd < 0) {
            throw new IllegalArgumentException("DATABASE_URL must look like postgresql://user:password@host:5432/db"
                    + " or jdbc:postgresql://host:5432/db?user=...&password=... (no '://' found)");
        }
        String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        boolean jdbc = scheme.equals("jdbc:postgresql");
        if (!jdbc && !scheme.equals("postgresql") && !scheme.equals("postgres")) {
            throw new IllegalArgumentException("DATABASE_URL has an unsupported scheme '" + safeScheme(scheme)
                    + "': use postgresql://, postgres:// or jdbc:postgresql://");
        }
        String rest = text.substring(schemeEnd + 3);

        int fragment = rest.indexOf('#');
        if (fragment >= 0) {
            rest = rest.substring(0, fragment);
        }
        // authority ends at the first '/' or '?' (RFC 3986); user info is everything up to the last '@' in it
        int authorityEnd = indexOfAny(rest, '/', '?');
        String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
        String afterAuthority = authorityEnd < 0 ? "" : rest.substring(authorityEnd);

        String username = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
            username = rawUser.isEmpty() ? null : decode(rawUser, "user name");
            if (colon >= 0) {
                password = decode(userInfo.substring(colon + 1), "password");
            }
        }

        String path = afterAuthority;
        String query = "";
        int questionMark = afterAuthority.indexOf('?');
        if (questionMark >= 0) {
            path = afterAuthority.substring(0, questionMark);
            query = afterAuthority.substring(questionMark + 1);
        }

        HostAndPort hostAndPort = parseHostAndPort(authority);

        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.contains("/")) {
            throw new IllegalArgumentException("DATABASE_URL: the path must be a single database name, like /dynamic_rag"
                    + " (a '/' in the user name or password must be written %2F)");
        }
        database = decode(database, "database name");

        Map<String, String> parameters = parseQuery(query);
        String queryUser = parameters.remove("user");
        String queryPassword = parameters.remove("password");
        if (username == null && queryUser != null && !queryUser.isEmpty()) {
            username = queryUser;
        }
        if (password == null && queryPassword != null) {
            password = queryPassword;
        }
        return new DatabaseUrl(hostAndPort.host, hostAndPort.port, database, username, password, parameters);
    }

    /** {@code jdbc:postgresql://host:port/db} plus the extra parameters; user and password are not included. */
    public String jdbcUrl() {
        String query = parameters.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return "jdbc:postgresql://" + hostForUrl() + ":" + port + "/" + encode(database)
                + (query.isEmpty() ? "" : "?" + query);
    }

    /**
     * {@code r2dbc:postgresql://host:port/db}; of the extra parameters only {@code sslmode} is carried over (r2dbc-postgresql
     * understands the libpq values), so both drivers agree on TLS. User and password are not included.
     */
    public String r2dbcUrl() {
        String sslMode = parameters.get("sslmode");
        return "r2dbc:postgresql://" + hostForUrl() + ":" + port + "/" + encode(database)
                + (sslMode == null ? "" : "?sslmode=" + encode(sslMode));
    }

    /** {@code host:port/database}, safe to log. */
    public String describe() {
        return hostForUrl() + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + describe() + ", username=" + username
                + ", password=" + (password == null ? "<none>" : "******") + ", parameters=" + parameters + "]";
    }

    private String hostForUrl() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private record HostAndPort(String host, int port) {
    }

    private static HostAndPort parseHostAndPort(String authority) {
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("DATABASE_URL: the host is missing");
        }
        if (authority.contains(",")) {
            throw new IllegalArgumentException("DATABASE_URL: several hosts are not supported, give exactly one host");
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("DATABASE_URL: the IPv6 address is missing its closing ']'");
            }
            host = authority.substring(1, close);
            String tail = authority.substring(close + 1);
            if (!tail.isEmpty()) {
                if (!tail.startsWith(":")) {
                    throw new IllegalArgumentException("DATABASE_URL: unexpected text after the IPv6 address");
                }
                portText = tail.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("DATABASE_URL: the host is missing");
        }
        int port = DEFAULT_PORT;
        if (portText != null && !portText.isEmpty()) {
            if (!portText.chars().allMatch(Character::isDigit) || portText.length() > 5) {
                // do not echo: a malformed URL can put part of the password here
                throw new IllegalArgumentException("DATABASE_URL: the port is not a number (if the password contains"
                        + " '@', '/', '?' or '#', percent-encode them)");
            }
            port = Integer.parseInt(portText);
        }
        return new HostAndPort(host, port);
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), "query parameter name");
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            String value = decode(rawValue, key.equals("password") ? "password" : "query parameter '" + key + "'");
            if (key.isEmpty()) {
                throw new IllegalArgumentException("DATABASE_URL: a query parameter has no name");
            }
            parameters.put(key, value);
        }
        return parameters;
    }

    private static String decode(String text, String what) {
        try {
            // keep '+' literal: it is not a space in the user-info or path of a URL
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DATABASE_URL: the " + what + " has an invalid percent-encoding");
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static int indexOfAny(String text, char a, char b) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == a || c == b) {
                return i;
            }
        }
        return -1;
    }

    private static String safeScheme(String scheme) {
        // a scheme is short and has no secrets, but cap it in case someone pasted something odd
        String cleaned = scheme.replaceAll("[^a-z0-9:+.-]", "?");
        return cleaned.length() > 20 ? cleaned.substring(0, 20) + "..." : cleaned;
    }
}
