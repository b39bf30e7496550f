package io.dynamicrag.command.tenancy;

import io.dynamicrag.command.tenancy.TenantCredentialStore.AccountStatus;
import io.dynamicrag.command.tenancy.TenantCredentialStore.Role;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.tenancy.api.TenantConfiguration;
import io.dynamicrag.kernel.tenancy.api.command.ChangeTenantConfigurationCommand;
import io.dynamicrag.kernel.tenancy.api.command.ConfigureOpenAiKeyCommand;
import io.dynamicrag.kernel.tenancy.api.command.GrantAdminRoleCommand;
import io.dynamicrag.kernel.tenancy.api.command.RegisterTenantCommand;
import io.dynamicrag.kernel.tenancy.api.command.ReinstateTenantCommand;
import io.dynamicrag.kernel.tenancy.api.command.RotateApiKeyCommand;
import io.dynamicrag.kernel.tenancy.api.command.SuspendTenantCommand;
import io.dynamicrag.kernel.tenancy.api.command.UpdateTenantProfileCommand;
import io.dynamicrag.kernel.tenancy.api.event.AdminRoleGrantedEvent;
import io.dynamicrag.kernel.tenancy.api.event.ApiKeyRotatedEvent;
import io.dynamicrag.kernel.tenancy.api.event.OpenAiKeyConfiguredEvent;
import io.dynamicrag.kernel.tenancy.api.event.IndexGenerationActivatedEvent;
import io.dynamicrag.kernel.tenancy.api.event.ReembeddingFailedEvent;
import io.dynamicrag.kernel.tenancy.api.command.ActivateIndexGenerationCommand;
import io.dynamicrag.kernel.tenancy.api.command.RecordReembeddingFailureCommand;
import io.dynamicrag.kernel.tenancy.api.event.TenantConfigurationChangedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantProfileUpdatedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantRegisteredEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantReinstatedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantSuspendedEvent;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A customer account: profile, configuration, status and role. Credentials live in their own table (written here,
 * in the command's transaction) and never in events.
 */
@Aggregate
class Tenant {

    @AggregateIdentifier
    private TenantId tenantId;
    private String email;
    private String companyName;
    private TenantConfiguration configuration;
    private boolean suspended;
    private boolean admin;
    private boolean openAiKeyConfigured;
    /** The index generation search runs on (0 until a model change completes). */
    private long indexGeneration;

    Tenant() {
        // for event sourcing
    }

    @CommandHandler
    Tenant(RegisterTenantCommand command, TenantCredentialStore credentials) {
        // Same transaction as the event append: a duplicate email rolls both back.
        credentials.create(command.tenantId(), command.email(), command.passwordHash(),
                command.apiKeyHash(), command.apiKeyPrefix());
        apply(new TenantRegisteredEvent(command.tenantId(), command.email(), command.companyName(), Instant.now()));
    }

    @CommandHandler
    Profile handle(UpdateTenantProfileCommand command, TenantCredentialStore credentials) {
        String newEmail = command.email() == null ? email : command.email();
        String newCompany = command.companyName() == null ? companyName : command.companyName();
        if (Objects.equals(newEmail, email) && Objects.equals(newCompany, companyName)) {
            return new Profile(email, companyName);
        }
        if (!newEmail.equals(email)) {
            credentials.changeEmail(tenantId, newEmail);
        }
        apply(new TenantProfileUpdatedEvent(tenantId, newEmail, newCompany, Instant.now()));
        return new Profile(newEmail, newCompany);
    }

    /** Returns the configuration in force afterwards, so the caller can show it without a read-model round trip. */
    @CommandHandler
    TenantConfiguration handle(ChangeTenantConfigurationCommand command, TenantCredentialStore credentials) {
        TenantConfiguration changed = TenantConfigurationRules.merge(configuration, command);
        ChangeTenantConfigurationCommand.OpenAiKeyChange keyChange = command.openAiKey();
        boolean keyAfterwards = keyChange == null ? openAiKeyConfigured : !keyChange.removes();
        if (TenantConfiguration.OPENAI_EMBEDDING_MODELS.contains(changed.embeddingModel()) && !keyAfterwards) {
            throw new InvalidConfigurationException(keyChange != null
                    ? "openai_api_key: cannot be removed while embedding_model is " + changed.embeddingModel()
                    + " (switch to " + TenantConfiguration.LOCAL_EMBEDDING_MODEL + " first)"
                    : "embedding_model: " + changed.embeddingModel() + " needs the tenant's OpenAI key; set "
                    + "openai_api_key in the same request or before");
        }
        if (keyChange != null) {
            configureOpenAiKey(keyChange.ciphertext(), keyChange.maskedKey(), credentials);
        }
        if (!changed.equals(configuration)) {
            apply(new TenantConfigurationChangedEvent(tenantId, changed, Instant.now()));
        }
        return changed;
    }

    @CommandHandler
    void handle(ActivateIndexGenerationCommand command) {
        if (command.generation() <= indexGeneration) {
            return; // already serving it (a repeated activation after a crash)
        }
        apply(new IndexGenerationActivatedEvent(tenantId, command.generation(), command.embeddingModel(),
                command.dimensions(), command.documents(), command.chunks(), Instant.now()));
    }

    @CommandHandler
    void handle(RecordReembeddingFailureCommand command) {
        apply(new ReembeddingFailedEvent(tenantId, command.embeddingModel(), command.reason(), Instant.now()));
    }

    @CommandHandler
    void handle(RotateApiKeyCommand command, TenantCredentialStore credentials) {
        credentials.replaceApiKey(tenantId, command.apiKeyHash(), command.apiKeyPrefix());
        apply(new ApiKeyRotatedEvent(tenantId, Instant.now()));
    }

    @CommandHandler
    void handle(ConfigureOpenAiKeyCommand command, TenantCredentialStore credentials) {
        if (command.ciphertext() == null
                && TenantConfiguration.OPENAI_EMBEDDING_MODELS.contains(configuration.embeddingModel())) {
            throw new InvalidConfigurationException("openai_api_key: cannot be removed while embedding_model is "
                    + configuration.embeddingModel() + " (switch to " + TenantConfiguration.LOCAL_EMBEDDING_MODEL
                    + " first)");
        }
        configureOpenAiKey(command.ciphertext(), command.maskedKey(), credentials);
    }

    private void configureOpenAiKey(String ciphertext, String maskedKey, TenantCredentialStore credentials) {
        credentials.changeOpenAiKey(tenantId, ciphertext);
        boolean configured = ciphertext != null;
        apply(new OpenAiKeyConfiguredEvent(tenantId, configured, configured ? maskedKey : null, Instant.now()));
    }

    @CommandHandler
    void handle(SuspendTenantCommand command, TenantCredentialStore credentials) {
        if (suspended) {
            return;
        }
        credentials.changeStatus(tenantId, AccountStatus.SUSPENDED);
        apply(new TenantSuspendedEvent(tenantId, command.reason(), command.actor(), Instant.now()));
    }

    @CommandHandler
    void handle(ReinstateTenantCommand command, TenantCredentialStore credentials) {
        if (!suspended) {
            return;
        }
        credentials.changeStatus(tenantId, AccountStatus.ACTIVE);
        apply(new TenantReinstatedEvent(tenantId, command.actor(), Instant.now()));
    }

    @CommandHandler
    void handle(GrantAdminRoleCommand command, TenantCredentialStore credentials) {
        if (admin) {
            return;
        }
        credentials.changeRole(tenantId, Role.ADMIN);
        apply(new AdminRoleGrantedEvent(tenantId, command.actor(), Instant.now()));
    }

    /** The profile after a change, returned to the caller. */
    record Profile(String email, String companyName) {
    }

    @EventSourcingHandler
    void on(TenantRegisteredEvent event) {
        tenantId = event.tenantId();
        email = event.email();
        companyName = event.companyName();
        configuration = TenantConfiguration.defaults();
    }

    @EventSourcingHandler
    void on(TenantProfileUpdatedEvent event) {
        email = event.email();
        companyName = event.companyName();
    }

    @EventSourcingHandler
    void on(TenantConfigurationChangedEvent event) {
        configuration = event.configuration();
    }

    @EventSourcingHandler
    void on(OpenAiKeyConfiguredEvent event) {
        openAiKeyConfigured = event.configured();
    }

    @EventSourcingHandler
    void on(IndexGenerationActivatedEvent event) {
        indexGeneration = event.generation();
    }

    @EventSourcingHandler
    void on(TenantSuspendedEvent event) {
        suspended = true;
    }

    @EventSourcingHandler
    void on(TenantReinstatedEvent event) {
        suspended = false;
    }

    @EventSourcingHandler
    void on(AdminRoleGrantedEvent event) {
        admin = true;
    }
}
