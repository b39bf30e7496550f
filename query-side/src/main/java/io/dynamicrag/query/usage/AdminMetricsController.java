package io.dynamicrag.query.usage;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.query.usage.UsageViews.AdminCustomerUsage;
import io.dynamicrag.query.usage.UsageViews.CustomerPage;
import io.dynamicrag.query.usage.UsageViews.GlobalMetrics;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** Operators' views across customers. Only admins reach {@code /api/admin/**} (SecurityConfiguration: 403). */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/admin")
class AdminMetricsController {

    static final int MAX_PAGE_SIZE = 100;
    static final int TOP = 10;

    private final UsageReadRepository usage;
    private final CustomerUsageReader customerUsage;
    private final Clock clock = Clock.systemUTC();

    AdminMetricsController(UsageReadRepository usage, CustomerUsageReader customerUsage) {
        this.usage = usage;
        this.customerUsage = customerUsage;
    }

    /**
     * Customers with their current document count and their metered tokens and cost (all time), sorted by
     * {@code cost} (default), {@code tokens}, {@code documents} or {@code created}, {@code order=desc} (default) or
     * {@code asc}; ties keep sign-up order.
     */
    @GetMapping("/customers")
    Mono<CustomerPage> customers(@RequestParam(required = false) String page,
                                 @RequestParam(required = false) String limit,
                                 @RequestParam(required = false) String sort,
                                 @RequestParam(required = false) String order) {
        int pageNumber = Parameters.intBetween("page", page, 1, 1, Integer.MAX_VALUE);
        int size = Parameters.intBetween("limit", limit, 20, 1, MAX_PAGE_SIZE);
        CustomerSort by = CustomerSort.parse(sort);
        boolean descending = Parameters.descending(order);
        return Mono.zip(usage.customers(by, descending, size, (long) (pageNumber - 1) * size).collectList(),
                        usage.customerCount())
                .map(t -> new CustomerPage(t.getT1(), pageNumber, size, t.getT2(),
                        by.name().toLowerCase(Locale.ROOT), descending ? "desc" : "asc"));
    }

    /** The seed's system-wide figures, this month's usage of everyone, the top customers and documents. */
    @GetMapping("/metrics/global")
    Mono<GlobalMetrics> global() {
        Instant now = clock.instant();
        TimeRange month = new TimeRange(MetricsController.monthStart(now), now.plusMillis(1));
        return Mono.zip(usage.systemStats(), usage.totals(null, month),
                        usage.customers(CustomerSort.COST, true, TOP, 0).collectList(),
                        usage.topDocuments(TOP).collectList())
                .map(t -> new GlobalMetrics(t.getT1(), t.getT2(), t.getT3(), t.getT4()));
    }

    /** One customer's usage, as they see it at {@code GET /api/customers/usage}, with their account. */
    @GetMapping("/customers/{id}/usage")
    Mono<AdminCustomerUsage> customerUsage(@PathVariable String id, @RequestParam(required = false) String from,
                                           @RequestParam(required = false) String to) {
        UUID customer = parse(id);
        TimeRange range = customerUsage.range(from, to);
        return usage.customer(customer)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(info -> customerUsage.read(new TenantId(customer), range)
                        .map(u -> new AdminCustomerUsage(info, u)));
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "Customer " + id + " not found");
    }
}
