package io.dynamicrag.app.support;

import io.dynamicrag.app.database.DatabaseUrl;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty database on the real PostgreSQL server named by {@code TEST_DATABASE_URL} (default: the local
 * server with trust auth), so every test JVM starts from a clean event store and read model.
 */
public final class TestDatabase {

    private static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
    private static String url;

    private TestDatabase() {
    }

    /** Creates the database once per JVM and returns its DATABASE_URL. */
    public static synchronized String url() {
        if (url == null) {
            String admin = System.getenv().getOrDefault("TEST_DATABASE_URL", DEFAULT_URL);
            DatabaseUrl parsed = DatabaseUrl.parse(admin);
            String name = "rag_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(parsed.jdbcUrl(), parsed.username(), parsed.password());
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot create a test database on " + parsed.jdbcUrl()
                        + " (is PostgreSQL running? scripts/ensure-services.sh starts it)", e);
            }
            url = admin.substring(0, admin.lastIndexOf('/') + 1) + name;
        }
        return url;
    }
}
