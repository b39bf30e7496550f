package io.dynamicrag.app.database;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/**
 * The JDBC pool used by Axon (event store, tokens, sagas), Flyway and the projections. Declared explicitly because
 * Spring Boot skips its own DataSource when an R2DBC ConnectionFactory (the query side's reads) is present.
 */
@Configuration
@EnableConfigurationProperties(DataSourceProperties.class)
public class JdbcDataSourceConfiguration {

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource dataSource(DataSourceProperties properties) {
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }
}
