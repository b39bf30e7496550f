package io.dynamicrag.command.usage;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.usage.api.UsageLedgers;
import io.dynamicrag.kernel.usage.api.UsageMetric;
import io.dynamicrag.kernel.usage.api.command.RecordUsageCommand;
import io.dynamicrag.kernel.usage.api.event.UsageRecordedEvent;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class UsageTest {

    private static final TenantId TENANT = TenantId.random();
    private static final DocumentId DOC = DocumentId.random();
    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
    private static final String LEDGER = UsageLedgers.idOf(TENANT, AT);

    private AggregateTestFixture<Usage> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Usage.class);
    }

    private static RecordUsageCommand embedded(String sourceEventId) {
        return RecordUsageCommand.derived(sourceEventId, TENANT, UsageMetric.EMBEDDING_TOKENS, 1234,
                new BigDecimal("0.00002468"), DOC, Map.of("model", "text-embedding-3-small"), AT);
    }

    private static UsageRecordedEvent recorded(RecordUsageCommand c) {
        return new UsageRecordedEvent(c.ledgerId(), c.usageId(), c.tenantId(), c.metricType(), c.quantity(),
                c.costUsd(), c.documentId(), c.sourceEventId(), c.details(), c.occurredAt());
    }

    @Test
    void shouldOpenTheDaysLedgerWithItsFirstRecord() {
        RecordUsageCommand command = embedded("event-1");
        assertThat(command.ledgerId()).isEqualTo(TENANT + "/2026-11-25");
        fixture.givenNoPriorActivity()
                .when(command)
                .expectSuccessfulHandlerExecution()
                .expectEvents(recorded(command));
    }

    @Test
    void shouldRecordAFigureDerivedFromTheSameSourceEventOnlyOnce() {
        RecordUsageCommand first = embedded("event-1");
        fixture.given(recorded(first))
                .when(embedded("event-1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void shouldRecordFiguresOfOtherSourceEvents() {
        RecordUsageCommand first = embedded("event-1");
        RecordUsageCommand second = embedded("event-2");
        assertThat(second.usageId()).isNotEqualTo(first.usageId());
        fixture.given(recorded(first))
                .when(second)
                .expectEvents(recorded(second));
    }

    @Test
    void shouldRecordEveryMeasuredBatchEvenWithEqualFigures() {
        RecordUsageCommand calls = RecordUsageCommand.measured(TENANT, UsageMetric.API_CALL, 7, BigDecimal.ZERO,
                Map.of("endpoint", "GET /api/documents"), AT);
        RecordUsageCommand again = RecordUsageCommand.measured(TENANT, UsageMetric.API_CALL, 7, BigDecimal.ZERO,
                Map.of("endpoint", "GET /api/documents"), AT);
        fixture.given(recorded(calls))
                .when(again)
                .expectEvents(recorded(again));
    }

    @Test
    void shouldRefuseANegativeQuantity() {
        fixture.givenNoPriorActivity()
                .when(new RecordUsageCommand(LEDGER, UUID.randomUUID(), TENANT, UsageMetric.STORAGE_BYTES, -1,
                        BigDecimal.ZERO, DOC, "event-9", Map.of(), AT))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void shouldRefuseANegativeCost() {
        fixture.givenNoPriorActivity()
                .when(new RecordUsageCommand(LEDGER, UUID.randomUUID(), TENANT, UsageMetric.EMBEDDING_TOKENS, 5,
                        new BigDecimal("-0.01"), DOC, "event-9", Map.of(), AT))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void shouldRefuseUsageOfAnotherTenantOrDay() {
        RecordUsageCommand first = embedded("event-1");
        fixture.given(recorded(first))
                .when(new RecordUsageCommand(LEDGER, UUID.randomUUID(), TenantId.random(), UsageMetric.API_CALL, 1,
                        BigDecimal.ZERO, null, null, Map.of(), AT))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
        fixture.given(recorded(first))
                .when(new RecordUsageCommand(LEDGER, UUID.randomUUID(), TENANT, UsageMetric.API_CALL, 1,
                        BigDecimal.ZERO, null, null, Map.of(), AT.plusSeconds(86_400)))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void shouldGiveTheSameUsageIdToTheSameSourceAndMetric() {
        assertThat(embedded("event-1").usageId()).isEqualTo(embedded("event-1").usageId());
        assertThat(RecordUsageCommand.derived("event-1", TENANT, UsageMetric.DOCUMENT_PROCESSED, 1, BigDecimal.ZERO,
                DOC, Map.of(), AT).usageId()).isNotEqualTo(embedded("event-1").usageId());
    }
}
