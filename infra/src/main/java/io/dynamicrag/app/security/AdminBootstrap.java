package io.dynamicrag.app.security;

import io.dynamicrag.command.tenancy.ApiKeys;
import io.dynamicrag.command.tenancy.TenantCredentialStore;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.tenancy.api.command.GrantAdminRoleCommand;
import io.dynamicrag.kernel.tenancy.api.command.RegisterTenantCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import java.util.Locale;

/**
 * Makes sure the operator account named in configuration ({@code RAG_ADMIN_EMAIL}, {@code RAG_ADMIN_PASSWORD})
 * exists and has the admin role. The password is used only when the account is created; an existing account
 * keeps its own. Without both settings no admin is created.
 */
@Component
class AdminBootstrap {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final TenantCredentialStore credentials;
    private final CommandGateway commands;
    private final PasswordEncoder passwords;
    private final String email;
    private final String password;

    AdminBootstrap(TenantCredentialStore credentials, CommandGateway commands, PasswordEncoder passwords,
                   @Value("${rag.admin.email:}") String email, @Value("${rag.admin.password:}") String password) {
        this.credentials = credentials;
        this.commands = commands;
        this.passwords = passwords;
        this.email = email.trim().toLowerCase(Locale.ROOT);
        this.password = password;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ensureAdmin() {
        if (email.isEmpty() || password.isEmpty()) {
            return;
        }
        TenantId admin = credentials.findByEmail(email).map(TenantCredentialStore.Account::tenantId).orElseGet(() -> {
            if (password.length() < 12) {
                throw new IllegalStateException("RAG_ADMIN_PASSWORD must have at least 12 characters");
            }
            TenantId id = TenantId.random();
            ApiKeys.NewApiKey key = ApiKeys.generate();
            try {
                commands.sendAndWait(new RegisterTenantCommand(id, email, "Operators", passwords.encode(password),
                        key.hash(), key.displayPrefix()));
            } catch (RuntimeException raced) {
                // several api nodes starting at once: one of them created it; anything else is a real failure
                return credentials.findByEmail(email).map(TenantCredentialStore.Account::tenantId)
                        .orElseThrow(() -> raced);
            }
            log.info("Created the admin account {}", email);
            return id;
        });
        commands.sendAndWait(new GrantAdminRoleCommand(admin, "configuration"));
    }
}
