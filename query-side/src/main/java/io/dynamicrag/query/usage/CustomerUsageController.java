package io.dynamicrag.query.usage;

import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.query.usage.UsageViews.CustomerUsage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/customers/usage}: the caller's metered usage per metric, its cost, and its documents. */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
class CustomerUsageController {

    private final CustomerUsageReader reader;

    CustomerUsageController(CustomerUsageReader reader) {
        this.reader = reader;
    }

    @GetMapping("/api/customers/usage")
    Mono<CustomerUsage> usage(@AuthenticationPrincipal AuthenticatedTenant caller,
                              @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return reader.read(caller.tenantId(), reader.range(from, to));
    }
}
