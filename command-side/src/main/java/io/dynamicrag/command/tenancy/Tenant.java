package io.dynamicrag.command.tenancy;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.tenancy.api.command.RegisterTenantCommand;
import io.dynamicrag.kernel.tenancy.api.event.TenantRegisteredEvent;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A customer account. Credentials live in their own table, never in events. */
@Aggregate
class Tenant {

    @AggregateIdentifier
    private TenantId tenantId;

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

    @EventSourcingHandler
    void on(TenantRegisteredEvent event) {
        this.tenantId = event.tenantId();
    }
}
