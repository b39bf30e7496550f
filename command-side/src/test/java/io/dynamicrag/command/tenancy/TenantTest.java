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
import io.dynamicrag.kernel.tenancy.api.event.TenantConfigurationChangedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantProfileUpdatedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantRegisteredEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantReinstatedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantSuspendedEvent;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.axonframework.test.matchers.Matchers.predicate;

class TenantTest {

    private static final TenantId ID = TenantId.random();
    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

    private final InMemoryCredentials credentials = new InMemoryCredentials();
    private AggregateTestFixture<Tenant> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Tenant.class);
        fixture.registerInjectableResource(credentials);
    }

    private TenantRegisteredEvent registered() {
        credentials.create(ID, "a@example.com", "hash", "key-hash", "drag_abc");
        return new TenantRegisteredEvent(ID, "a@example.com", "Acme", AT);
    }

    private static <T> org.hamcrest.Matcher<List<org.axonframework.messaging.Message<?>>> only(
            Class<T> type, Predicate<T> check) {
        return payloadsMatching(exactSequenceOf(
                predicate((Object p) -> type.isInstance(p) && check.test(type.cast(p))), andNoMore()));
    }

    @Test
    void shouldRegisterTenantAndStoreOnlyHashesOutsideTheEvent() {
        fixture.givenNoPriorActivity()
                .when(new RegisterTenantCommand(ID, "a@example.com", "Acme", "bcrypt-hash", "key-hash", "drag_abc"))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(only(TenantRegisteredEvent.class, e -> e.tenantId().equals(ID)
                        && e.email().equals("a@example.com") && "Acme".equals(e.companyName())
                        && e.registeredAt() != null
                        // the event is permanent: no secret of any kind in it
                        && !e.toString().contains("bcrypt-hash") && !e.toString().contains("key-hash")));
        assertThat(credentials.findByEmail("a@example.com")).map(TenantCredentialStore.Account::tenantId)
                .contains(ID);
        assertThat(credentials.findByApiKeyHash("key-hash")).isPresent();
    }

    @Test
    void shouldRejectDuplicateEmailWithoutEvents() {
        credentials.create(TenantId.random(), "taken@example.com", "h", "k", "p");
        fixture.givenNoPriorActivity()
                .when(new RegisterTenantCommand(TenantId.random(), "taken@example.com", null, "h", "k2", "p"))
                .expectNoEvents()
                .expectException(EmailAlreadyRegisteredException.class);
    }

    @Test
    void shouldUpdateProfileAndCredentialEmail() {
        fixture.given(registered())
                .when(new UpdateTenantProfileCommand(ID, "new@example.com", null))
                .expectResultMessagePayload(new Tenant.Profile("new@example.com", "Acme"))
                .expectEventsMatching(only(TenantProfileUpdatedEvent.class,
                        e -> e.email().equals("new@example.com") && e.companyName().equals("Acme")));
        assertThat(credentials.findByEmail("new@example.com")).isPresent();
    }

    @Test
    void shouldNotEmitWhenProfileIsUnchanged() {
        fixture.given(registered())
                .when(new UpdateTenantProfileCommand(ID, "a@example.com", "Acme"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void shouldRejectAnEmailTakenByAnotherAccount() {
        TenantRegisteredEvent registered = registered();
        credentials.create(TenantId.random(), "other@example.com", "h", "k2", "p");
        fixture.given(registered)
                .when(new UpdateTenantProfileCommand(ID, "other@example.com", null))
                .expectNoEvents()
                .expectException(EmailAlreadyRegisteredException.class);
    }

    @Test
    void shouldChangeConfigurationKeepingUnsetFields() {
        TenantConfiguration expected = new TenantConfiguration(20, 10_000, 10_000, 50,
                List.of("pdf", "txt", "html", "md"), 800, 100, TenantConfiguration.LOCAL_EMBEDDING_MODEL, "semantic");
        fixture.given(registered())
                .when(new ChangeTenantConfigurationCommand(ID, 20, null, null, null, null, 800, 100, null, "Semantic"))
                .expectResultMessagePayload(expected)
                .expectEventsMatching(only(TenantConfigurationChangedEvent.class,
                        e -> e.configuration().equals(expected)));
    }

    @Test
    void shouldRejectAnInvalidConfigurationNamingEveryProblem() {
        fixture.given(registered())
                .when(new ChangeTenantConfigurationCommand(ID, 0, null, null, 5000, List.of("exe"), 500, 500,
                        "gpt-9", "magic"))
                .expectNoEvents()
                .expectException(InvalidConfigurationException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.allOf(
                        org.hamcrest.Matchers.containsString("rate_limit_requests_per_minute"),
                        org.hamcrest.Matchers.containsString("max_file_size_mb"),
                        org.hamcrest.Matchers.containsString("unknown type 'exe'"),
                        org.hamcrest.Matchers.containsString("chunking_overlap"),
                        org.hamcrest.Matchers.containsString("embedding_model"),
                        org.hamcrest.Matchers.containsString("chunking_strategy")));
    }

    @Test
    void shouldCheckOverlapAgainstTheCurrentSize() {
        fixture.given(registered(), new TenantConfigurationChangedEvent(ID, new TenantConfiguration(60, 10_000,
                        10_000, 50, List.of("txt"), 300, 0, TenantConfiguration.LOCAL_EMBEDDING_MODEL, "fixed"), AT))
                .when(new ChangeTenantConfigurationCommand(ID, null, null, null, null, null, null, 300, null, null))
                .expectNoEvents()
                .expectException(InvalidConfigurationException.class);
    }

    @Test
    void shouldRotateTheApiKeyWithoutPuttingItInTheEvent() {
        fixture.given(registered())
                .when(new RotateApiKeyCommand(ID, "new-key-hash", "drag_new"))
                .expectEventsMatching(only(ApiKeyRotatedEvent.class, e -> !e.toString().contains("new-key-hash")));
        assertThat(credentials.findByApiKeyHash("new-key-hash")).isPresent();
        assertThat(credentials.findByApiKeyHash("key-hash")).isEmpty();
    }

    @Test
    void shouldStoreTheOpenAiKeyCiphertextAndEmitOnlyTheMask() {
        fixture.given(registered())
                .when(new ConfigureOpenAiKeyCommand(ID, "v1:ciphertext", "sk-…abcd"))
                .expectEventsMatching(only(OpenAiKeyConfiguredEvent.class, e -> e.configured()
                        && e.maskedKey().equals("sk-…abcd") && !e.toString().contains("ciphertext")));
        assertThat(credentials.openAiKeyCiphertext(ID)).contains("v1:ciphertext");
    }

    @Test
    void shouldSuspendOnceAndReinstate() {
        fixture.given(registered())
                .when(new SuspendTenantCommand(ID, "unpaid", "admin@example.com"))
                .expectEventsMatching(only(TenantSuspendedEvent.class,
                        e -> e.reason().equals("unpaid") && e.actor().equals("admin@example.com")));
        assertThat(credentials.findByTenant(ID).orElseThrow().status()).isEqualTo(AccountStatus.SUSPENDED);

        fixture.given(new TenantRegisteredEvent(ID, "a@example.com", "Acme", AT),
                        new TenantSuspendedEvent(ID, "unpaid", "admin", AT))
                .when(new SuspendTenantCommand(ID, "again", "admin"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void shouldReinstateASuspendedTenant() {
        TenantRegisteredEvent registered = registered();
        credentials.changeStatus(ID, AccountStatus.SUSPENDED);
        fixture.given(registered, new TenantSuspendedEvent(ID, "unpaid", "admin", AT))
                .when(new ReinstateTenantCommand(ID, "admin"))
                .expectEventsMatching(only(TenantReinstatedEvent.class, e -> e.actor().equals("admin")));
        assertThat(credentials.findByTenant(ID).orElseThrow().status()).isEqualTo(AccountStatus.ACTIVE);
    }

    @Test
    void shouldGrantTheAdminRoleOnce() {
        fixture.given(registered())
                .when(new GrantAdminRoleCommand(ID, "configuration"))
                .expectEventsMatching(only(AdminRoleGrantedEvent.class, e -> e.actor().equals("configuration")));
        assertThat(credentials.findByTenant(ID).orElseThrow().role()).isEqualTo(Role.ADMIN);

        fixture.given(new TenantRegisteredEvent(ID, "a@example.com", "Acme", AT),
                        new AdminRoleGrantedEvent(ID, "configuration", AT))
                .when(new GrantAdminRoleCommand(ID, "configuration"))
                .expectNoEvents();
    }
}
