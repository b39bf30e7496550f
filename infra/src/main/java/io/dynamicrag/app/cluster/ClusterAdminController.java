package io.dynamicrag.app.cluster;

import io.dynamicrag.kernel.security.AuthenticatedTenant;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Operators' view of the cluster and the one lever on it ({@code /api/admin/**}: admin role only): which node holds
 * which segment, how far behind each segment is, and asking a segment's owner to let it go.
 */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/admin/cluster")
class ClusterAdminController {

    private final ClusterOverview overview;
    private final SegmentReleases releases;

    ClusterAdminController(ClusterOverview overview, SegmentReleases releases) {
        this.overview = overview;
        this.releases = releases;
    }

    @GetMapping
    Mono<ClusterOverview.Cluster> cluster() {
        return blocking(overview::read);
    }

    /** 202: the owner releases the segment at its next heartbeat, and keeps away from it for the release window. */
    @PostMapping("/processors/{processor}/segments/{segment}/release")
    Mono<ResponseEntity<SegmentReleases.ReleaseRequested>> release(@PathVariable String processor,
                                                                  @PathVariable int segment,
                                                                  @AuthenticationPrincipal AuthenticatedTenant caller) {
        String requestedBy = "admin:" + caller.tenantId();
        return blocking(() -> releases.request(processor, segment, requestedBy))
                .map(requested -> ResponseEntity.status(HttpStatus.ACCEPTED).body(requested));
    }

    /** JDBC blocks: never on the event loop. */
    private static <T> Mono<T> blocking(java.util.concurrent.Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }
}
