package io.dynamicrag.app.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockEnvironment;

class DatabaseUrlTest {

    @Test
    void shouldParsePostgresqlUrlWithCredentialsAndParameters() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:secret@db.example.com:6543/rag?sslmode=require&connectTimeout=5");

        assertThat(url.host()).isEqualTo("db.example.com");
        assertThat(url.port()).isEqualTo(6543);
        assertThat(url.database()).isEqualTo("rag");
        assertThat(url.username()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("secret");
        assertThat(url.parameters()).containsExactly(Map.entry("sslmode", "require"), Map.entry("connectTimeout", "5"));
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/rag?sslmode=require&connectTimeout=5");
        assertThat(url.r2dbcUrl()).isEqualTo("r2dbc:postgresql://db.example.com:6543/rag?sslmode=require");
    }

    @Test
    void shouldParsePostgresSchemeAndDefaultThePort() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://app:secret@localhost/rag");

        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/rag");
        assertThat(url.r2dbcUrl()).isEqualTo("r2dbc:postgresql://localhost:5432/rag");
        assertThat(url.username()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("secret");
    }

    @Test
    void shouldParseJdbcUrlWithCredentialsInTheQuery() {
        DatabaseUrl url = DatabaseUrl.parse(
                "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=p%40ss&ApplicationName=rag");

        assertThat(url.host()).isEqualTo("127.0.0.1");
        assertThat(url.database()).isEqualTo("postgres");
        assertThat(url.username()).isEqualTo("postgres");
        assertThat(url.password()).isEqualTo("p@ss");
        assertThat(url.parameters()).containsExactly(Map.entry("ApplicationName", "rag"));
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres?ApplicationName=rag");
        assertThat(url.r2dbcUrl()).isEqualTo("r2dbc:postgresql://127.0.0.1:5432/postgres");
    }

    @Test
    void shouldAllowMissingUserAndPassword() {
        DatabaseUrl jdbc = DatabaseUrl.parse("jdbc:postgresql://localhost:5432/rag");
        DatabaseUrl userOnly = DatabaseUrl.parse("postgresql://postgres@127.0.0.1:5432/postgres");

        assertThat(jdbc.username()).isNull();
        assertThat(jdbc.password()).isNull();
        assertThat(userOnly.username()).isEqualTo("postgres");
        assertThat(userOnly.password()).isNull();
    }

    @Test
    void shouldDecodePercentEncodedUserPasswordAndDatabase() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://us%40er:p%3Aa%2Fs%40s%23w+rd%25@host:5432/my%20db");

        assertThat(url.username()).isEqualTo("us@er");
        assertThat(url.password()).isEqualTo("p:a/s@s#w+rd%");
        assertThat(url.database()).isEqualTo("my db");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/my%20db");
    }

    @Test
    void shouldKeepAColonInsideThePassword() {
        assertThat(DatabaseUrl.parse("postgresql://u:a:b@h/db").password()).isEqualTo("a:b");
    }

    @Test
    void shouldPreferTheUserInfoOverQueryCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://alice:one@h/db?user=bob&password=two");

        assertThat(url.username()).isEqualTo("alice");
        assertThat(url.password()).isEqualTo("one");
        assertThat(url.parameters()).isEmpty();
    }

    @Test
    void shouldAcceptIpv6Hosts() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p@[::1]:5433/db");

        assertThat(url.host()).isEqualTo("::1");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433/db");
        assertThat(url.r2dbcUrl()).isEqualTo("r2dbc:postgresql://[::1]:5433/db");
    }

    @Test
    void shouldAcceptSurroundingWhitespaceAndUpperCaseScheme() {
        assertThat(DatabaseUrl.parse("  POSTGRESQL://u@h:1/db\n").jdbcUrl()).isEqualTo("jdbc:postgresql://h:1/db");
    }

    @Test
    void shouldNeverShowThePasswordInToString() {
        String text = DatabaseUrl.parse("postgresql://app:TopSecret1@h/db").toString();

        assertThat(text).doesNotContain("TopSecret1").contains("******").contains("h:5432/db");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   ",
            "mysql://u:TopSecret1@h/db",
            "postgresql+asyncpg://u:TopSecret1@h/db",
            "jdbc:mysql://h/db?password=TopSecret1",
            "postgresql:u:TopSecret1@h/db",
            "postgresql://u:TopSecret1@h:notaport/db",
            "postgresql://u:TopSecret1@h:99999/db",
            "postgresql://u:TopSecret1@h:0/db",
            "postgresql://u:TopSecret1@/db",
            "postgresql://u:TopSecret1@h",
            "postgresql://u:TopSecret1@h:5432/",
            "postgresql://u:TopSecret1@h1:5432,h2:5432/db",
            "postgresql://u:Top/Secret1@h/db",
            "postgresql://u:TopSecret1%zz@h/db",
            "postgresql://u:TopSecret1@h/db?password=%zzTopSecret1",
            "postgresql://u:TopSecret1@[::1/db",
            "postgresql://u:TopSecret1@h/db/extra",
    })
    void shouldRejectInvalidUrlsWithoutShowingThePassword(String input) {
        assertThatThrownBy(() -> DatabaseUrl.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DATABASE_URL")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TopSecret1").doesNotContain("Secret1"));
    }

    @Test
    void shouldRejectNull() {
        assertThatThrownBy(() -> DatabaseUrl.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DATABASE_URL");
    }

    // the post-processor's external path: with DATABASE_URL set no embedded server is started

    private final DatabaseEnvironmentPostProcessor postProcessor = new DatabaseEnvironmentPostProcessor(Supplier::get);

    @Test
    void postProcessorShouldPointJdbcAndR2dbcAtTheDatabaseUrlWithHighestPrecedence() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("DATABASE_URL", "postgresql://app:s%3Dcret@db:5433/rag")
                .withProperty("spring.datasource.url", "jdbc:postgresql://elsewhere/other");

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getPropertySources().iterator().next().getName())
                .isEqualTo(DatabaseEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db:5433/rag");
        assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("app");
        assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("s=cret");
        assertThat(environment.getProperty("spring.r2dbc.url")).isEqualTo("r2dbc:postgresql://db:5433/rag");
        assertThat(environment.getProperty("spring.r2dbc.username")).isEqualTo("app");
        assertThat(environment.getProperty("spring.r2dbc.password")).isEqualTo("s=cret");
    }

    @Test
    void postProcessorShouldReadDatabaseUrlFromASystemProperty() {
        String jvmDatabaseUrl = System.getProperty("DATABASE_URL");
        StandardEnvironment environment = new StandardEnvironment();
        // a copy of the JVM's system properties: getSystemProperties() is the live map, and writing DATABASE_URL
        // there sent every Spring context started later in this test JVM to the host "h"
        Map<String, Object> systemProperties = new HashMap<>(environment.getSystemProperties());
        systemProperties.put("DATABASE_URL", "jdbc:postgresql://h:5432/db?user=u");
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, systemProperties));

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://h:5432/db");
        assertThat(environment.getProperty("spring.r2dbc.username")).isEqualTo("u");
        assertThat(environment.containsProperty("spring.r2dbc.password")).isFalse();
        assertThat(System.getProperty("DATABASE_URL")).as("the JVM's own property").isEqualTo(jvmDatabaseUrl);
    }

    @Test
    void postProcessorShouldFailClearlyOnAnInvalidDatabaseUrl() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("DATABASE_URL", "mysql://u:TopSecret1@h/db");

        assertThatThrownBy(() -> postProcessor.postProcessEnvironment(environment, new SpringApplication()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DATABASE_URL")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TopSecret1"));
    }
}
