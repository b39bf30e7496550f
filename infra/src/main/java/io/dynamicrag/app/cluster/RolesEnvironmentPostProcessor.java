package io.dynamicrag.app.cluster;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code RAG_ROLES} ({@code api}, {@code worker} or {@code api,worker}) decides which roles this process plays: it
 * sets {@code rag.roles.api} and {@code rag.roles.worker} ahead of every configuration file, so one variable is all
 * a deployment sets per process. Unset, the configuration decides (both roles, or the "api"/"worker" profiles).
 * Anything else stops the start with a message naming the value, rather than silently running a role nobody asked for.
 */
public class RolesEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY = "RAG_ROLES";
    private static final Set<String> KNOWN = Set.of("api", "worker");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String value = environment.getProperty(PROPERTY);
        if (!StringUtils.hasText(value)) {
            return;
        }
        Set<String> roles = parse(value);
        environment.getPropertySources().addFirst(new MapPropertySource("ragRoles", Map.of(
                "rag.roles.api", Boolean.toString(roles.contains("api")),
                "rag.roles.worker", Boolean.toString(roles.contains("worker")))));
    }

    static Set<String> parse(String value) {
        Set<String> roles = new LinkedHashSet<>();
        for (String role : Arrays.stream(value.split("[,\\s]+")).map(String::trim).toList()) {
            if (role.isEmpty()) {
                continue;
            }
            String lower = role.toLowerCase(java.util.Locale.ROOT);
            if (!KNOWN.contains(lower)) {
                throw new IllegalStateException(PROPERTY + "=" + value + ": unknown role '" + role
                        + "' (use api, worker or api,worker)");
            }
            roles.add(lower);
        }
        if (roles.isEmpty()) {
            throw new IllegalStateException(PROPERTY + "=" + value + " names no role (use api, worker or api,worker)");
        }
        return roles;
    }

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }
}
