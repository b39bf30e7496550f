package io.dynamicrag.query.usage;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.query.usage.UsageViews.CustomerUsage;
import io.dynamicrag.query.usage.UsageViews.MetricTotal;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;

/** One customer's usage over a range (default: the current UTC month): what they and the admins see. */
@Component
class CustomerUsageReader {

    private final UsageReadRepository usage;
    private final Clock clock = Clock.systemUTC();

    CustomerUsageReader(UsageReadRepository usage) {
        this.usage = usage;
    }

    /** Parses the range first, so a bad parameter is a 400 before anything is read. */
    TimeRange range(String from, String to) {
        Instant now = clock.instant();
        return TimeRange.parse(from, to, MetricsController.monthStart(now), now.plusMillis(1));
    }

    Mono<CustomerUsage> read(TenantId tenant, TimeRange range) {
        return Mono.zip(usage.totals(tenant, range), usage.documentStats(tenant))
                .map(t -> new CustomerUsage(tenant.toString(), range.from(), range.to(), t.getT1(),
                        t.getT1().stream().map(MetricTotal::cost).reduce(BigDecimal.ZERO, BigDecimal::add),
                        t.getT2()));
    }
}
