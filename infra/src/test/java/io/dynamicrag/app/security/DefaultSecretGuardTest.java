package io.dynamicrag.app.security;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DefaultSecretGuardTest {

    private static final String OWN_SECRET = "a-real-deployment-secret-of-enough-length-0001";
    private static final String OWN_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private static StandardEnvironment profiles(String... active) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.setActiveProfiles(active);
        return environment;
    }

    @Test
    void shouldAllowTheDevelopmentDefaultsInDevelopment() {
        assertThatCode(() -> new DefaultSecretGuard(profiles(), DefaultSecretGuard.DEV_JWT_SECRET,
                DefaultSecretGuard.DEV_MASTER_KEY, OWN_SECRET)).doesNotThrowAnyException();
        assertThatCode(() -> new DefaultSecretGuard(profiles("dev"), DefaultSecretGuard.DEV_JWT_SECRET,
                DefaultSecretGuard.DEV_MASTER_KEY, OWN_SECRET)).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseADefaultJwtSecretOutsideDevelopment() {
        assertThatThrownBy(() -> new DefaultSecretGuard(profiles("prod"), DefaultSecretGuard.DEV_JWT_SECRET, OWN_KEY, OWN_SECRET))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RAG_JWT_SECRET");
        assertThatThrownBy(() -> new DefaultSecretGuard(profiles("api"), OWN_SECRET, DefaultSecretGuard.DEV_MASTER_KEY, OWN_SECRET))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RAG_MASTER_KEY");
    }

    @Test
    void shouldRefuseTheDefaultUploadSecretOutsideDevelopment() {
        assertThatThrownBy(() -> new DefaultSecretGuard(profiles("prod"), OWN_SECRET, OWN_KEY,
                io.dynamicrag.processing.ProcessorsConfiguration.DEV_UPLOAD_SECRET))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RAG_UPLOAD_SECRET");
    }

    @Test
    void shouldStartWithOwnSecretsInAnyProfile() {
        assertThatCode(() -> new DefaultSecretGuard(profiles("prod", "worker"), OWN_SECRET, OWN_KEY, OWN_SECRET))
                .doesNotThrowAnyException();
    }
}
