package io.dynamicrag.app;

import io.dynamicrag.app.support.IntegrationTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The same jar plays the api role, the worker role, or both (the default, covered by the other tests). */
class RolesTest {

    @Nested
    @ActiveProfiles("api")
    @TestPropertySource(properties = {
            // a deployment profile refuses the built-in development secrets
            "rag.auth.jwt-secret=roles-test-secret-that-is-long-enough-0123456789",
            "rag.secrets.master-key=cm9sZXMtdGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzISE=",
            "rag.storage.upload-secret=roles-test-upload-secret-long-enough-0123456789"})
    @DirtiesContext
    class ApiRole extends IntegrationTest {

        @Autowired
        ApplicationContext context;

        @Test
        void servesTheApiButRunsNoPipelineWork() {
            assertThat(context.containsBeanDefinition("ingestController")).isTrue();
            assertThat(context.containsBeanDefinition("searchController")).isTrue();
            assertThat(context.containsBeanDefinition("pipelineWorkers")).isFalse();
            assertThat(context.getBeanNamesForType(io.dynamicrag.processing.index.IndexMaintenanceJob.class))
                    .as("index maintenance writes to Lance: workers only").isEmpty();
            assertThat(context.getBeanNamesForType(
                    io.dynamicrag.processing.pipeline.DocumentPipeline.class)).isEmpty();

            Tenant tenant = signUp();
            http.get().uri("/api/documents").header("X-API-Key", tenant.apiKey()).exchange()
                    .expectStatus().isOk();
        }
    }

    @Nested
    @ActiveProfiles("worker")
    @TestPropertySource(properties = {
            // a deployment profile refuses the built-in development secrets
            "rag.auth.jwt-secret=roles-test-secret-that-is-long-enough-0123456789",
            "rag.secrets.master-key=cm9sZXMtdGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzISE=",
            "rag.storage.upload-secret=roles-test-upload-secret-long-enough-0123456789"})
    @DirtiesContext
    class WorkerRole extends IntegrationTest {

        @Autowired
        ApplicationContext context;

        @Test
        void runsThePipelineAndAnswersOnlyHealth() {
            assertThat(context.containsBeanDefinition("pipelineWorkers")).isTrue();
            assertThat(context.getBeanNamesForType(io.dynamicrag.processing.index.IndexMaintenanceJob.class))
                    .isNotEmpty();
            assertThat(context.getBeanNamesForType(
                    io.dynamicrag.processing.pipeline.DocumentPipeline.class)).isNotEmpty();
            assertThat(context.containsBeanDefinition("ingestController")).isFalse();
            assertThat(context.containsBeanDefinition("signupController")).isFalse();

            http.get().uri("/actuator/health").exchange()
                    .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
            http.post().uri("/api/auth/signup").bodyValue("{}").exchange().expectStatus().isNotFound();
        }
    }
}
