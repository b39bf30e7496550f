package io.dynamicrag.app.security;

import io.dynamicrag.processing.ProcessorsConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Refuses to start when a built-in development secret is used outside development. Development means no active
 * profile or only {@code dev}/{@code test}; any other profile (prod, api, worker, ...) is a deployment.
 */
@Component
class DefaultSecretGuard {

    static final String DEV_JWT_SECRET = "dev-only-insecure-secret-change-me-0123456789";
    static final String DEV_MASTER_KEY = "ZGV2LW9ubHktbWFzdGVyLWtleS0zMi1ieXRlcyEhISE=";
    private static final Set<String> DEVELOPMENT_PROFILES = Set.of("dev", "test", "default");

    DefaultSecretGuard(Environment environment,
                       @Value("${rag.auth.jwt-secret}") String jwtSecret,
                       @Value("${rag.secrets.master-key}") String masterKey,
                       @Value("${rag.storage.upload-secret:}") String uploadSecret) {
        List<String> profiles = Arrays.asList(environment.getActiveProfiles());
        boolean development = profiles.stream().allMatch(DEVELOPMENT_PROFILES::contains);
        List<String> defaults = new ArrayList<>();
        if (DEV_JWT_SECRET.equals(jwtSecret)) {
            defaults.add("RAG_JWT_SECRET (rag.auth.jwt-secret)");
        }
        if (DEV_MASTER_KEY.equals(masterKey)) {
            defaults.add("RAG_MASTER_KEY (rag.secrets.master-key)");
        }
        if (ProcessorsConfiguration.DEV_UPLOAD_SECRET.equals(uploadSecret)) {
            defaults.add("RAG_UPLOAD_SECRET (rag.storage.upload-secret)");
        }
        if (!development && !defaults.isEmpty()) {
            throw new IllegalStateException("Refusing to start with profiles " + profiles
                    + ": the built-in development value is still set for " + String.join(" and ", defaults)
                    + ". Set your own secret(s).");
        }
    }
}
