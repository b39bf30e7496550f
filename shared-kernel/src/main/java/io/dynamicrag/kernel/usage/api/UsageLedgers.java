package io.dynamicrag.kernel.usage.api;

import io.dynamicrag.kernel.ids.TenantId;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Usage is kept in one ledger (aggregate) per tenant and UTC day, so no stream grows without bound and the day a
 * record belongs to is fixed by when it happened: {@code <tenant>/<yyyy-mm-dd>}.
 */
public final class UsageLedgers {

    private UsageLedgers() {
    }

    public static String idOf(TenantId tenant, Instant occurredAt) {
        return tenant + "/" + LocalDate.ofInstant(occurredAt, ZoneOffset.UTC);
    }
}
