package io.dynamicrag.command.tenancy;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.tenancy.api.command.RegisterTenantCommand;
import io.dynamicrag.kernel.tenancy.api.event.TenantRegisteredEvent;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.axonframework.test.matchers.Matchers.predicate;

class TenantTest {

    private final InMemoryCredentials credentials = new InMemoryCredentials();
    private AggregateTestFixture<Tenant> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Tenant.class);
        fixture.registerInjectableResource(credentials);
    }

    @Test
    void shouldRegisterTenantAndStoreOnlyHashesOutsideTheEvent() {
        TenantId id = TenantId.random();
        fixture.givenNoPriorActivity()
                .when(new RegisterTenantCommand(id, "a@example.com", "Acme", "bcrypt-hash", "key-hash", "drag_abc"))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        predicate((Object payload) -> payload instanceof TenantRegisteredEvent e
                                && e.tenantId().equals(id)
                                && e.email().equals("a@example.com")
                                && "Acme".equals(e.companyName())
                                && e.registeredAt() != null
                                // the event is permanent: no secret of any kind in it
                                && !e.toString().contains("bcrypt-hash")
                                && !e.toString().contains("key-hash")),
                        andNoMore())));
        assertThat(credentials.byEmail).containsEntry("a@example.com", id);
        assertThat(credentials.findByApiKeyHash("key-hash")).isPresent();
    }

    @Test
    void shouldRejectDuplicateEmailWithoutEvents() {
        credentials.byEmail.put("taken@example.com", TenantId.random());
        fixture.givenNoPriorActivity()
                .when(new RegisterTenantCommand(TenantId.random(), "taken@example.com", null, "h", "k", "p"))
                .expectNoEvents()
                .expectException(EmailAlreadyRegisteredException.class);
    }

    /** A real in-memory implementation of the port (not a mock): it enforces unique emails like the table does. */
    static final class InMemoryCredentials implements TenantCredentialStore {
        final Map<String, TenantId> byEmail = new HashMap<>();
        final Map<String, CredentialOwner> byKeyHash = new HashMap<>();

        @Override
        public void create(TenantId tenant, String email, String passwordHash, String apiKeyHash,
                           String apiKeyPrefix) {
            if (byEmail.containsKey(email)) {
                throw new EmailAlreadyRegisteredException(email);
            }
            byEmail.put(email, tenant);
            byKeyHash.put(apiKeyHash, new CredentialOwner(tenant, email));
        }

        @Override
        public Optional<CredentialOwner> findByApiKeyHash(String apiKeyHash) {
            return Optional.ofNullable(byKeyHash.get(apiKeyHash));
        }

        @Override
        public boolean exists(TenantId tenant) {
            return byEmail.containsValue(tenant);
        }

    }
}
