package io.dynamicrag.app.audit;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.dynamicrag.kernel.ids.TenantId;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit API shows a tenant the events whose payload names it ({@code tenantId}, copied into
 * {@code domain_event_entry.tenant_id} on insert). An event without one would be invisible to every tenant's
 * audit trail, so every event record must carry a {@code TenantId tenantId}.
 */
class EveryEventNamesItsTenantTest {

    @Test
    void everyEventRecordHasATenantId() {
        List<Class<?>> events = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.dynamicrag.kernel")
                .stream()
                .filter(c -> c.getPackageName().endsWith(".event") && c.getSimpleName().endsWith("Event"))
                .map(JavaClass::reflect)
                .toList();
        assertThat(events).hasSizeGreaterThan(15);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.isRecord()).as("%s is a record", event.getName()).isTrue();
            assertThat(Arrays.stream(event.getRecordComponents())
                    .anyMatch(c -> c.getName().equals("tenantId") && c.getType().equals(TenantId.class)))
                    .as("%s has a TenantId tenantId", event.getName()).isTrue();
        });
    }
}
