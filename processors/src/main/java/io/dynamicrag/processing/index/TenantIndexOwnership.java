package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.TenantId;
import org.springframework.stereotype.Component;

/**
 * Whether this node is, right now, the one writer of a tenant's Lance datasets: it holds the segment of the
 * {@value #PROCESSOR} event processor that the tenant's events are sequenced into. Index writes that follow events run
 * inside that processor; the writes that do not (maintenance and compaction, re-embedding after a model change) ask
 * here first and leave tenants held by other nodes alone.
 */
@Component
public class TenantIndexOwnership {

    /** The event processor that writes the tenants' indexes, sequenced by tenant. */
    public static final String PROCESSOR = "tenant-index";

    private final LocalSegmentClaims claims;

    public TenantIndexOwnership(LocalSegmentClaims claims) {
        this.claims = claims;
    }

    public boolean owns(TenantId tenant) {
        return claims.holds(PROCESSOR, TenantSequencingPolicy.sequenceOf(tenant));
    }
}
