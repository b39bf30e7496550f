package io.dynamicrag.app.projections;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Map;

/**
 * Operators' view of the event processors and the read-model rebuild ({@code /api/admin/**}: admin role only).
 * A tracking projection answers 202 and replays in the background (poll its status until {@code replaying} is
 * false and {@code lag} is 0); a subscribing one is rebuilt before the answer (200).
 */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/admin/projections")
class ProjectionAdminController {

    private final ProjectionRebuilds rebuilds;

    ProjectionAdminController(ProjectionRebuilds rebuilds) {
        this.rebuilds = rebuilds;
    }

    @GetMapping
    Mono<Map<String, List<ProjectionRebuilds.ProjectionStatus>>> list() {
        return blocking(() -> Map.of("projections", rebuilds.statuses()));
    }

    @GetMapping("/{name}")
    Mono<ProjectionRebuilds.ProjectionStatus> status(@PathVariable String name) {
        return blocking(() -> rebuilds.status(name));
    }

    @PostMapping("/{name}/replay")
    Mono<ResponseEntity<ProjectionRebuilds.RebuildResult>> replay(@PathVariable String name) {
        return blocking(() -> rebuilds.rebuild(name))
                .map(result -> ResponseEntity.status("replaying".equals(result.status())
                        ? HttpStatus.ACCEPTED : HttpStatus.OK).body(result));
    }

    @PostMapping("/{name}/dead-letters/process")
    Mono<ProjectionRebuilds.DeadLetterRun> processDeadLetters(@PathVariable String name) {
        return blocking(() -> rebuilds.processDeadLetters(name));
    }

    /** Axon's processor control and JDBC block: never on the event loop. */
    private static <T> Mono<T> blocking(java.util.concurrent.Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }
}
