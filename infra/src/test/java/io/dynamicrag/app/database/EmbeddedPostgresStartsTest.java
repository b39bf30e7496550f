package io.dynamicrag.app.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Supplier;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Starts the real embedded PostgreSQL (zonky) the way the application does when DATABASE_URL is not set. */
class EmbeddedPostgresStartsTest {

    @TempDir
    Path dataDir;

    private final DatabaseEnvironmentPostProcessor postProcessor = new DatabaseEnvironmentPostProcessor(Supplier::get);

    @AfterEach
    void stopServer() {
        DatabaseEnvironmentPostProcessor.stopEmbedded(dataDir);
    }

    @Test
    void shouldStartAnswerAndKeepDataAcrossRestarts() throws Exception {
        DatabaseUrl first = postProcessor.startEmbedded(dataDir);

        assertThat(first.database()).isEqualTo(DatabaseEnvironmentPostProcessor.EMBEDDED_DATABASE);
        assertThat(first.username()).isEqualTo("postgres");
        assertThat(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION"))).isTrue();
        try (Connection connection = connect(first); Statement statement = connection.createStatement()) {
            assertThat(singleValue(statement, "select 1")).isEqualTo("1");
            assertThat(singleValue(statement, "select current_database()")).isEqualTo("dynamic_rag");
            assertThat(singleValue(statement, "show fsync")).isEqualTo("on");
            statement.execute("create table survivor (id int primary key, name text)");
            statement.execute("insert into survivor values (1, 'kept')");
        }

        assertThat(postProcessor.startEmbedded(dataDir)).as("a second start in the same JVM reuses the server")
                .isEqualTo(first);
        assertThat(DatabaseEnvironmentPostProcessor.stopEmbedded(dataDir)).isTrue();
        assertThatThrownBy(() -> connect(first)).isInstanceOf(SQLException.class);

        DatabaseUrl second = postProcessor.startEmbedded(dataDir);
        try (Connection connection = connect(second); Statement statement = connection.createStatement()) {
            assertThat(singleValue(statement, "select name from survivor where id = 1")).isEqualTo("kept");
        }
    }

    @Test
    void shouldConfigureJdbcAndR2dbcWhenDatabaseUrlIsMissing() throws Exception {
        MockEnvironment environment = new MockEnvironment()
                .withProperty(DatabaseEnvironmentPostProcessor.DATA_DIR_PROPERTY, dataDir.toString());

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        String jdbcUrl = environment.getProperty("spring.datasource.url");
        assertThat(jdbcUrl).startsWith("jdbc:postgresql://localhost:").endsWith("/dynamic_rag");
        assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("postgres");
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", null);
             Statement statement = connection.createStatement()) {
            assertThat(singleValue(statement, "select 1")).isEqualTo("1");
        }

        ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(environment.getProperty("spring.r2dbc.url"))
                .mutate().option(ConnectionFactoryOptions.USER, environment.getProperty("spring.r2dbc.username"))
                .build();
        Integer one = Mono.usingWhen(Mono.from(ConnectionFactories.get(options).create()),
                        connection -> Flux.from(connection.createStatement("select 1 as one").execute())
                                .flatMap(result -> result.map((row, meta) -> row.get("one", Integer.class)))
                                .single(),
                        io.r2dbc.spi.Connection::close)
                .block(Duration.ofSeconds(30));
        assertThat(one).isEqualTo(1);
    }

    @Test
    void shouldRefuseADirectoryThatHoldsSomethingElse() throws Exception {
        Files.createDirectories(dataDir.resolve("postgres"));
        Files.writeString(dataDir.resolve("postgres").resolve("notes.txt"), "not a database");

        assertThatThrownBy(() -> postProcessor.startEmbedded(dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DATABASE_URL")
                .hasMessageContaining("not empty");
    }

    private static Connection connect(DatabaseUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.username(), null);
    }

    private static String singleValue(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
