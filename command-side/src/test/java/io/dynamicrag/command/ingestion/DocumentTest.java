package io.dynamicrag.command.ingestion;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.command.DeleteDocumentCommand;
import io.dynamicrag.kernel.ingestion.api.command.FailDocumentProcessingCommand;
import io.dynamicrag.kernel.ingestion.api.command.ReprocessDocumentCommand;
import io.dynamicrag.kernel.ingestion.api.command.ResumeProcessingCommand;
import io.dynamicrag.kernel.ingestion.api.command.SubmissionOutcome;
import io.dynamicrag.kernel.ingestion.api.command.SubmitDocumentVersionCommand;
import io.dynamicrag.kernel.ingestion.api.event.DocumentDeletedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentReprocessingStartedEvent;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentChunkedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentEmbeddedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentIndexedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentParsedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentProcessedCommand;
import io.dynamicrag.kernel.ingestion.api.command.StepDurations;
import io.dynamicrag.kernel.ingestion.api.command.SubmitDocumentCommand;
import io.dynamicrag.kernel.ingestion.api.event.DocumentChunkedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentEmbeddedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentIndexedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentParsedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentProcessingFailedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.axonframework.test.matchers.Matchers.predicate;

class DocumentTest {

    private static final DocumentId DOC = DocumentId.random();
    private static final TenantId TENANT = TenantId.random();
    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

    private AggregateTestFixture<Document> fixture;

    private final InMemoryRegistry registry = new InMemoryRegistry();

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Document.class);
        fixture.registerInjectableResource(registry);
        fixture.registerInjectableResource(new TenantDocumentLimits(null) {
            @Override
            public Limits of(TenantId tenant) {
                return new Limits(2, 50, List.of("txt"));
            }
        });
    }

    /** A real in-memory registry (not a mock): counts documents and keeps identities unique per tenant. */
    static final class InMemoryRegistry implements DocumentRegistry {
        final Map<DocumentId, TenantId> tenants = new HashMap<>();
        final Map<String, DocumentId> identities = new HashMap<>();

        @Override
        public void register(TenantId tenant, DocumentId document, String identityKey, int maxDocuments) {
            if (tenants.values().stream().filter(tenant::equals).count() >= maxDocuments) {
                throw new DocumentLimitReachedException(maxDocuments);
            }
            if (identityKey != null && identities.containsKey(tenant + identityKey)) {
                throw new IdentityTakenException(identities.get(tenant + identityKey));
            }
            tenants.put(document, tenant);
            if (identityKey != null) {
                identities.put(tenant + identityKey, document);
            }
        }

        @Override
        public Optional<DocumentId> findByIdentity(TenantId tenant, String identityKey) {
            return Optional.ofNullable(identities.get(tenant + identityKey));
        }

        @Override
        public void unregister(DocumentId document) {
            tenants.remove(document);
            identities.values().removeIf(document::equals);
        }
    }

    private static SubmitDocumentCommand submit(String title, long size) {
        return new SubmitDocumentCommand(DOC, TENANT, title, "txt", null, "ext-1", Map.of("k", "v"),
                "tenants/t/documents/d/raw/x.txt", "abc", size);
    }

    private static DocumentSubmittedEvent submitted() {
        return new DocumentSubmittedEvent(DOC, TENANT, 1, "Title", "txt", null, "ext-1", Map.of("k", "v"),
                "raw", "abc", 10, AT);
    }

    private static DocumentParsedEvent parsed() {
        return new DocumentParsedEvent(DOC, TENANT, 1, "parsed", 100, null);
    }

    private static DocumentChunkedEvent chunked() {
        return new DocumentChunkedEvent(DOC, TENANT, 1, "chunks", 3, 1000, 200);
    }

    private static DocumentEmbeddedEvent embedded() {
        return new DocumentEmbeddedEvent(DOC, TENANT, 1, "chunks", "vectors", "all-minilm-l6-v2", 384, 120,
                new java.math.BigDecimal("0.00000240"), "Title", "txt", null);
    }

    @Test
    void shouldSubmitFirstVersion() {
        fixture.givenNoPriorActivity()
                .when(submit("Title", 10))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        predicate((Object p) -> p instanceof DocumentSubmittedEvent e && e.version() == 1
                                && e.tenantId().equals(TENANT) && e.title().equals("Title")
                                && e.externalId().equals("ext-1") && e.submittedAt() != null),
                        andNoMore())));
    }

    @Test
    void shouldRejectEmptyContent() {
        fixture.givenNoPriorActivity()
                .when(submit("Title", 0))
                .expectNoEvents()
                .expectException(InvalidDocumentException.class);
    }

    @Test
    void shouldRejectBlankTitle() {
        fixture.givenNoPriorActivity()
                .when(submit("  ", 10))
                .expectNoEvents()
                .expectException(InvalidDocumentException.class);
    }

    @Test
    void shouldRegisterTheIdentityAndRefuseBeyondTheLimit() {
        fixture.givenNoPriorActivity().when(submit("Title", 10)).expectSuccessfulHandlerExecution();
        assertThat(registry.findByIdentity(TENANT, "external:ext-1")).contains(DOC);
        registry.register(TENANT, DocumentId.random(), null, 2);
        fixture.givenNoPriorActivity()
                .when(new SubmitDocumentCommand(DocumentId.random(), TENANT, "Third", "txt", null, null, Map.of(),
                        "raw", "h", 5))
                .expectNoEvents()
                .expectException(DocumentLimitReachedException.class);
    }

    @Test
    void shouldTreatTheSameContentAsADuplicate() {
        fixture.given(submitted())
                .when(new SubmitDocumentVersionCommand(DOC, TENANT, "Title", "txt", null, "ext-1", Map.of(),
                        "raw", "abc", 10))
                .expectResultMessagePayload(new SubmissionOutcome(1, true))
                .expectNoEvents();
    }

    @Test
    void shouldMakeChangedContentTheNextVersionKeepingTitleAndType() {
        fixture.given(submitted(), parsed(), chunked(), embedded(), new DocumentIndexedEvent(DOC, TENANT, 1, 3, AT))
                .when(new SubmitDocumentVersionCommand(DOC, TENANT, null, null, null, "ext-1", Map.of(),
                        "raw2", "def", 12))
                .expectResultMessagePayload(new SubmissionOutcome(2, false))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        predicate((Object p) -> p instanceof DocumentSubmittedEvent e && e.version() == 2
                                && e.title().equals("Title") && e.docType().equals("txt")
                                && e.contentHash().equals("def")),
                        andNoMore())));
    }

    @Test
    void shouldHideTheDocumentFromAnotherTenant() {
        fixture.given(submitted())
                .when(new SubmitDocumentVersionCommand(DOC, TenantId.random(), "T", "txt", null, null, Map.of(),
                        "raw2", "def", 12))
                .expectNoEvents()
                .expectException(DocumentNotFoundException.class);
        fixture.given(submitted())
                .when(new DeleteDocumentCommand(DOC, TenantId.random()))
                .expectNoEvents()
                .expectException(DocumentNotFoundException.class);
    }

    @Test
    void shouldReprocessOnlyWhenNotProcessing() {
        fixture.given(submitted())
                .when(new ReprocessDocumentCommand(DOC, TENANT))
                .expectNoEvents()
                .expectException(DocumentBusyException.class);
        fixture.given(submitted(), new DocumentProcessingFailedEvent(DOC, TENANT, 1, "parse", "bad", AT))
                .when(new ReprocessDocumentCommand(DOC, TENANT))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        predicate((Object p) -> p instanceof DocumentReprocessingStartedEvent e && e.version() == 1
                                && e.rawBlobKey().equals("raw")),
                        andNoMore())));
    }

    @Test
    void shouldResumeAStalledVersionButNotAFinishedOne() {
        fixture.given(submitted(), parsed())
                .when(new ResumeProcessingCommand(DOC, "stalled", Duration.ZERO))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        predicate((Object p) -> p instanceof DocumentReprocessingStartedEvent e && e.version() == 1),
                        andNoMore())));
        fixture.given(submitted(), parsed(), chunked(), embedded(), new DocumentIndexedEvent(DOC, TENANT, 1, 3, AT))
                .when(new ResumeProcessingCommand(DOC, "stalled", Duration.ZERO))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void shouldResumeOnceWhenTwoNodesSeeTheSameStall() {
        // the first node's resume is itself progress: the second, sent moments later, changes nothing
        fixture.given(submitted(), parsed(),
                        new DocumentReprocessingStartedEvent(DOC, TENANT, 1, "Title", "txt", "raw", AT))
                .when(new ResumeProcessingCommand(DOC, "stalled", Duration.ofMinutes(10)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void shouldDeleteAndFreeTheIdentity() {
        registry.register(TENANT, DOC, "external:ext-1", 10);
        fixture.given(submitted())
                .when(new DeleteDocumentCommand(DOC, TENANT))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        predicate((Object p) -> p instanceof DocumentDeletedEvent e && e.lastVersion() == 1),
                        andNoMore())));
        assertThat(registry.findByIdentity(TENANT, "external:ext-1")).isEmpty();
    }

    @Test
    void shouldRecordEachStageInOrder() {
        fixture.given(submitted())
                .when(new RecordDocumentParsedCommand(DOC, 1, "parsed", 100, null))
                .expectEvents(parsed());
        fixture.given(submitted(), parsed())
                .when(new RecordDocumentChunkedCommand(DOC, 1, "chunks", 3, 1000, 200))
                .expectEvents(chunked());
        fixture.given(submitted(), parsed(), chunked())
                .when(new RecordDocumentEmbeddedCommand(DOC, 1, "vectors", "all-minilm-l6-v2", 384, 120,
                        new java.math.BigDecimal("0.00000240")))
                .expectEvents(embedded());
    }

    @Test
    void shouldRecordParseChunkAndEmbedRunBackToBackInOneCommand() {
        fixture.given(submitted())
                .when(processed(1))
                .expectEvents(parsed(), chunked(), embedded());
    }

    @Test
    void shouldCarryEachStepsDurationOnItsEvent() {
        fixture.given(submitted())
                .when(processed(1), Map.of(StepDurations.commandKey("parse"), 12L,
                        StepDurations.commandKey("chunk"), 3, StepDurations.commandKey("embed"), 450L))
                .expectEventsMatching(exactSequenceOf(
                        predicate((org.axonframework.eventhandling.EventMessage<?> m) ->
                                m.getPayload() instanceof DocumentParsedEvent
                                        && Long.valueOf(12).equals(m.getMetaData().get(StepDurations.EVENT_KEY))),
                        predicate((org.axonframework.eventhandling.EventMessage<?> m) ->
                                m.getPayload() instanceof DocumentChunkedEvent
                                        && Long.valueOf(3).equals(m.getMetaData().get(StepDurations.EVENT_KEY))),
                        predicate((org.axonframework.eventhandling.EventMessage<?> m) ->
                                m.getPayload() instanceof DocumentEmbeddedEvent
                                        && Long.valueOf(450).equals(m.getMetaData().get(StepDurations.EVENT_KEY))),
                        andNoMore()));
    }

    @Test
    void shouldRecordOnlyTheStagesNotYetPassedFromOneCommand() {
        // a document parsed before the steps were run back to back
        fixture.given(submitted(), parsed())
                .when(processed(1))
                .expectEvents(chunked(), embedded());
        fixture.given(submitted(), parsed(), chunked(), embedded())
                .when(processed(1))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(submitted())
                .when(processed(2))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void shouldRefuseProcessedPartsOfAnotherVersion() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() ->
                new RecordDocumentProcessedCommand(DOC, 1, new RecordDocumentParsedCommand(DOC, 2, "parsed", 100,
                        null), processed(1).chunked(), processed(1).embedded()));
    }

    private static RecordDocumentProcessedCommand processed(int version) {
        return new RecordDocumentProcessedCommand(DOC, version,
                new RecordDocumentParsedCommand(DOC, version, "parsed", 100, null),
                new RecordDocumentChunkedCommand(DOC, version, "chunks", 3, 1000, 200),
                new RecordDocumentEmbeddedCommand(DOC, version, "vectors", "all-minilm-l6-v2", 384, 120,
                        new java.math.BigDecimal("0.00000240")));
    }

    @Test
    void shouldCompleteWhenIndexed() {
        fixture.given(submitted(), parsed(), chunked(), embedded())
                .when(new RecordDocumentIndexedCommand(DOC, 1, 3))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        predicate((Object p) -> p instanceof DocumentIndexedEvent e && e.chunkCount() == 3
                                && e.version() == 1),
                        andNoMore())));
    }

    @Test
    void shouldIgnoreARedeliveredStageReport() {
        fixture.given(submitted(), parsed())
                .when(new RecordDocumentParsedCommand(DOC, 1, "parsed", 100, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void shouldIgnoreAReportForAnotherVersion() {
        fixture.given(submitted())
                .when(new RecordDocumentParsedCommand(DOC, 2, "parsed", 100, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void shouldFailProcessingWithTheReason() {
        fixture.given(submitted(), parsed())
                .when(new FailDocumentProcessingCommand(DOC, 1, "chunk", "boom"))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(
                        predicate((Object p) -> p instanceof DocumentProcessingFailedEvent e
                                && e.stage().equals("chunk") && e.reason().equals("boom")),
                        andNoMore())));
    }

    @Test
    void shouldNotFailACompletedDocument() {
        fixture.given(submitted(), parsed(), chunked(), embedded(),
                        new DocumentIndexedEvent(DOC, TENANT, 1, 3, AT))
                .when(new FailDocumentProcessingCommand(DOC, 1, "index", "late failure"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }
}
