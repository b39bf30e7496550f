package io.dynamicrag.query.documents;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentStatusNoticeTest {

    private final TenantId tenant = TenantId.random();
    private final DocumentId document = DocumentId.random();

    @Test
    void shouldReadBackAChange() {
        DocumentStatusNotice notice = DocumentStatusNotice.changed(tenant, document);

        assertThat(DocumentStatusNotice.parse(notice.payload())).contains(notice);
        assertThat(notice.payload()).isEqualTo(
                "{\"tenant_id\":\"" + tenant + "\",\"document_id\":\"" + document + "\"}");
    }

    @Test
    void shouldReadBackADeletionWithItsLastVersion() {
        DocumentStatusNotice notice = DocumentStatusNotice.deleted(tenant, document, 7);

        DocumentStatusNotice read = DocumentStatusNotice.parse(notice.payload()).orElseThrow();
        assertThat(read.isDeletion()).isTrue();
        assertThat(read.deletedView().status()).isEqualTo("deleted");
        assertThat(read.deletedView().version()).isEqualTo(7);
        assertThat(read.deletedView().documentId()).isEqualTo(document.toString());
    }

    @Test
    void shouldStayFarBelowTheNotifyLimit() {
        String payload = DocumentStatusNotice.deleted(tenant, document, Integer.MAX_VALUE).payload();

        assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThan(200);
    }

    @Test
    void shouldSkipPayloadsThatAreNotOurs() {
        assertThat(DocumentStatusNotice.parse(null)).isEmpty();
        assertThat(DocumentStatusNotice.parse("")).isEmpty();
        assertThat(DocumentStatusNotice.parse("hello")).isEmpty();
        assertThat(DocumentStatusNotice.parse("[]")).isEmpty();
        assertThat(DocumentStatusNotice.parse("{\"tenant_id\":\"" + tenant + "\"}")).isEmpty();
        assertThat(DocumentStatusNotice.parse(
                "{\"tenant_id\":\"not-a-uuid\",\"document_id\":\"" + document + "\"}")).isEmpty();
        assertThat(DocumentStatusNotice.parse(
                "{\"tenant_id\":\"" + tenant + "\",\"document_id\":\"" + document + "\",\"deleted\":true}"))
                .as("a deletion without its last version").isEmpty();
        assertThat(DocumentStatusNotice.parse("{\"tenant_id\":\"" + tenant + "\",\"document_id\":\"" + document
                + "\",\"deleted\":true,\"last_version\":\"2\"}")).isEmpty();
    }
}
