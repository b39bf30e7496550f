package io.dynamicrag.command.tenancy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dynamicrag.command.web.BlockingCommands;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.kernel.tenancy.api.TenantConfiguration;
import io.dynamicrag.kernel.tenancy.api.command.ChangeTenantConfigurationCommand;
import io.dynamicrag.kernel.tenancy.api.command.RotateApiKeyCommand;
import io.dynamicrag.kernel.tenancy.api.command.UpdateTenantProfileCommand;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Locale;

/** The caller's own account: profile, configuration (with its OpenAI key), API key rotation. */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/customers")
class CustomerController {

    private final BlockingCommands commands;
    private final TenantCredentialStore credentials;
    private final SecretCipher cipher;

    CustomerController(BlockingCommands commands, TenantCredentialStore credentials, SecretCipher cipher) {
        this.commands = commands;
        this.credentials = credentials;
        this.cipher = cipher;
    }

    @PutMapping("/profile")
    Mono<ProfileResponse> updateProfile(@AuthenticationPrincipal AuthenticatedTenant caller,
                                        @Valid @RequestBody ProfileRequest request) {
        String email = request.email() == null ? null : request.email().trim().toLowerCase(Locale.ROOT);
        return commands.<Tenant.Profile>send(
                        new UpdateTenantProfileCommand(caller.tenantId(), email, request.companyName()))
                .map(profile -> new ProfileResponse(caller.tenantId().toString(), profile.email(),
                        profile.companyName()));
    }

    @PutMapping("/config")
    Mono<ConfigResponse> updateConfig(@AuthenticationPrincipal AuthenticatedTenant caller,
                                      @Valid @RequestBody ConfigRequest request) {
        ChangeTenantConfigurationCommand change = new ChangeTenantConfigurationCommand(caller.tenantId(),
                request.rateLimitRequestsPerMinute(), request.rateLimitRequestsPerDay(), request.maxDocuments(),
                request.maxFileSizeMb(), request.allowedDocumentTypes(), request.chunkingSize(),
                request.chunkingOverlap(), request.embeddingModel(), request.chunkingStrategy(),
                openAiKeyChange(caller, request.openaiApiKey()));
        // one command: the configuration and the key are validated and applied together, or not at all
        return commands.<TenantConfiguration>send(change)
                .flatMap(config -> maskedOpenAiKey(caller)
                        .map(masked -> ConfigResponse.of(config, masked))
                        .defaultIfEmpty(ConfigResponse.of(config, null)));
    }

    /** Absent: unchanged (null); empty string: removed; otherwise encrypted before it leaves this method. */
    private ChangeTenantConfigurationCommand.OpenAiKeyChange openAiKeyChange(AuthenticatedTenant caller,
                                                                            String requested) {
        if (requested == null) {
            return null;
        }
        String key = requested.trim();
        return key.isEmpty()
                ? new ChangeTenantConfigurationCommand.OpenAiKeyChange(null, null)
                : new ChangeTenantConfigurationCommand.OpenAiKeyChange(cipher.encrypt(caller.tenantId(), key),
                SecretCipher.mask(key));
    }

    @PostMapping("/api-key")
    Mono<ApiKeyResponse> rotateApiKey(@AuthenticationPrincipal AuthenticatedTenant caller) {
        ApiKeys.NewApiKey key = ApiKeys.generate();
        return commands.send(new RotateApiKeyCommand(caller.tenantId(), key.hash(), key.displayPrefix()))
                .thenReturn(new ApiKeyResponse(key.plaintext(), key.displayPrefix()));
    }

    private Mono<String> maskedOpenAiKey(AuthenticatedTenant caller) {
        return Mono.fromCallable(() -> credentials.openAiKeyCiphertext(caller.tenantId())
                        .map(stored -> SecretCipher.mask(cipher.decrypt(caller.tenantId(), stored)))
                        .orElse(null))
                .subscribeOn(Schedulers.boundedElastic());
    }

    record ProfileRequest(@Email @Size(max = 255) String email,
                          @Size(max = 255) @JsonProperty("company_name") String companyName) {
    }

    record ProfileResponse(String customerId, String email, String companyName) {
    }

    record ConfigRequest(
            @JsonProperty("rate_limit_requests_per_minute") Integer rateLimitRequestsPerMinute,
            @JsonProperty("rate_limit_requests_per_day") Integer rateLimitRequestsPerDay,
            @JsonProperty("max_documents") Integer maxDocuments,
            @JsonProperty("max_file_size_mb") Integer maxFileSizeMb,
            @JsonProperty("allowed_document_types") @Size(max = 20) List<String> allowedDocumentTypes,
            @JsonProperty("chunking_size") Integer chunkingSize,
            @JsonProperty("chunking_overlap") Integer chunkingOverlap,
            @JsonProperty("embedding_model") @Size(max = 100) String embeddingModel,
            @JsonProperty("chunking_strategy") @Size(max = 20) String chunkingStrategy,
            @JsonProperty("openai_api_key") @Size(max = 300)
            @Pattern(regexp = "^$|^[A-Za-z0-9_\\-]{20,300}$", message = "must look like an OpenAI API key (or be "
                    + "empty to remove it)") String openaiApiKey) {
    }

    record ConfigResponse(
            int rateLimitRequestsPerMinute, int rateLimitRequestsPerDay, int maxDocuments, int maxFileSizeMb,
            List<String> allowedDocumentTypes, int chunkingSize, int chunkingOverlap, String chunkingStrategy,
            String embeddingModel, String openaiApiKey) {

        static ConfigResponse of(TenantConfiguration c, String maskedKey) {
            return new ConfigResponse(c.rateLimitRequestsPerMinute(), c.rateLimitRequestsPerDay(), c.maxDocuments(),
                    c.maxFileSizeMb(), c.allowedDocumentTypes(), c.chunkingSize(), c.chunkingOverlap(),
                    c.chunkingStrategy(), c.embeddingModel(), maskedKey);
        }
    }

    record ApiKeyResponse(String apiKey, String apiKeyPrefix) {
    }
}
