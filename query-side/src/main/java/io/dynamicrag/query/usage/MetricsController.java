package io.dynamicrag.query.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.kernel.usage.RateLimitStatus;
import io.dynamicrag.query.usage.UsageViews.CostBreakdown;
import io.dynamicrag.query.usage.UsageViews.Costs;
import io.dynamicrag.query.usage.UsageViews.DocumentMetrics;
import io.dynamicrag.query.usage.UsageViews.Export;
import io.dynamicrag.query.usage.UsageViews.Overview;
import io.dynamicrag.query.usage.UsageViews.RateLimitRow;
import io.dynamicrag.query.usage.UsageViews.TokenMetrics;
import io.dynamicrag.query.usage.UsageViews.UsageSeries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The seed's dashboard metrics, for the caller's own tenant only (the tenant comes from the credential). Usage
 * figures come from {@code usage_metrics} (the metered events); document figures from the documents read model.
 */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/metrics")
class MetricsController {

    static final int MAX_BUCKETS = 1000;
    static final int MAX_TOKEN_ROWS = 1000;
    static final int MAX_JSON_EXPORT_ROWS = 100_000;
    static final int MAX_CSV_EXPORT_ROWS = 1_000_000;
    static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");
    private static final Logger log = LoggerFactory.getLogger(MetricsController.class);

    private final UsageReadRepository usage;
    private final RateLimitStatus rateLimits;
    private final Clock clock = Clock.systemUTC();

    private final ObjectMapper objectMapper;

    /** {@code objectMapper}: the application's (snake_case), as every other JSON answer. */
    MetricsController(UsageReadRepository usage, RateLimitStatus rateLimits, ObjectMapper objectMapper) {
        this.usage = usage;
        this.rateLimits = rateLimits;
        this.objectMapper = objectMapper;
    }

    /** API calls in the last 24 h, document statistics, this month's costs and usage, current rate-limit windows. */
    @GetMapping("/overview")
    Mono<Overview> overview(@AuthenticationPrincipal AuthenticatedTenant caller) {
        TenantId tenant = caller.tenantId();
        Instant now = clock.instant();
        TimeRange month = new TimeRange(monthStart(now), now.plusMillis(1));
        Mono<List<RateLimitRow>> windows = Mono.fromCompletionStage(() -> rateLimits.current(tenant))
                .map(MetricsController::rows)
                .onErrorResume(e -> {
                    log.warn("Rate-limit counters unavailable for the overview: {}", e.toString());
                    return Mono.just(List.of());
                });
        return Mono.zip(usage.apiCallsSince(tenant, now.minus(Duration.ofHours(24))), usage.documentStats(tenant),
                        usage.costs(tenant, month), usage.totals(tenant, month), windows)
                .map(t -> new Overview(t.getT1(), t.getT2(),
                        new Costs(month.from(), now, t.getT3()[0], t.getT3()[1], t.getT3()[2]), t.getT4(),
                        t.getT5()));
    }

    /** Every metric over time, one bucket per day, week or month (UTC), empty buckets included. */
    @GetMapping("/usage")
    Mono<UsageSeries> usage(@AuthenticationPrincipal AuthenticatedTenant caller,
                            @RequestParam(required = false) String period,
                            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Period p = Period.parse(period);
        TimeRange range = seriesRange(p, from, to);
        return Mono.zip(usage.totals(caller.tenantId(), range),
                        usage.series(caller.tenantId(), p, range).collectList())
                .map(t -> new UsageSeries(p.unit(), range.from(), range.to(), t.getT1(), t.getT2()));
    }

    @GetMapping("/documents")
    Mono<DocumentMetrics> documents(@AuthenticationPrincipal AuthenticatedTenant caller) {
        return Mono.zip(usage.documentStats(caller.tenantId()), usage.documentTypes(caller.tenantId()).collectList())
                .map(t -> {
                    var s = t.getT1();
                    return new DocumentMetrics(s.totalDocuments(), s.totalSize(), s.totalTokens(),
                            s.totalEmbeddingCost(), s.processing(), s.completed(), s.failed(), s.totalChunks(),
                            s.totalCharacters(), s.avgProcessingTimeMs(), t.getT2());
                });
    }

    /** Tokens and cost per completed document, most tokens first (the seed's token usage page). */
    @GetMapping("/tokens")
    Mono<TokenMetrics> tokens(@AuthenticationPrincipal AuthenticatedTenant caller,
                              @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                              @RequestParam(required = false) String limit) {
        int max = Parameters.intBetween("limit", limit, 100, 1, MAX_TOKEN_ROWS);
        TimeRange range = TimeRange.parse(from, to, Instant.EPOCH, clock.instant().plusMillis(1));
        return Mono.zip(usage.tokensPerDocument(caller.tenantId(), range, max).collectList(),
                        usage.tokenTotals(caller.tenantId(), range))
                .map(t -> new TokenMetrics(range.from(), range.to(), max, (Long) t.getT2()[0],
                        (BigDecimal) t.getT2()[1], t.getT1()));
    }

    /** Usage and cost per period and metric type, newest period first (the seed's cost breakdown). */
    @GetMapping("/costs")
    Mono<CostBreakdown> costs(@AuthenticationPrincipal AuthenticatedTenant caller,
                              @RequestParam(required = false) String period,
                              @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Period p = Period.parse(period);
        TimeRange range = seriesRange(p, from, to);
        return usage.costBreakdown(caller.tenantId(), p, range).collectList()
                .map(rows -> new CostBreakdown(p.unit(), range.from(), range.to(),
                        rows.stream().map(UsageViews.CostRow::totalCost).reduce(BigDecimal.ZERO, BigDecimal::add),
                        rows));
    }

    /** The current minute and UTC-day windows of every endpoint called today, from the rate limiter's counters. */
    @GetMapping("/rate-limits")
    Mono<RateLimitStatus.TenantRateLimits> rateLimits(@AuthenticationPrincipal AuthenticatedTenant caller) {
        return Mono.fromCompletionStage(() -> rateLimits.current(caller.tenantId()))
                .onErrorMap(e -> !(e instanceof ResponseStatusException), e -> {
                    log.warn("Rate-limit counters unavailable: {}", e.toString());
                    return new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                            "The rate-limit counters cannot be read right now; try again shortly");
                });
    }

    /**
     * The usage rows of [from, to) (default: the last 30 days) as a CSV or JSON download. CSV: a header row, RFC
     * 4180 quoting, UTF-8 with a byte-order mark, formula-like text neutralised (see {@link UsageCsv}).
     */
    @GetMapping("/export")
    Mono<ResponseEntity<Flux<DataBuffer>>> export(@AuthenticationPrincipal AuthenticatedTenant caller,
                                   @RequestParam(required = false) String format,
                                   @RequestParam(required = false) String from,
                                   @RequestParam(required = false) String to) {
        String kind = format == null || format.isBlank() ? "csv" : format.trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("csv") && !kind.equals("json")) {
            throw new InvalidParameterException("format", "must be csv or json");
        }
        Instant now = clock.instant();
        TimeRange range = TimeRange.parse(from, to, now.minus(Duration.ofDays(30)), now.plusMillis(1));
        String filename = "usage-" + LocalDate.ofInstant(range.from(), ZoneOffset.UTC) + "-to-"
                + LocalDate.ofInstant(range.to().minusMillis(1), ZoneOffset.UTC) + "." + kind;
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok().header(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename(filename).build().toString());
        if (kind.equals("json")) {
            return usage.export(caller.tenantId(), range, MAX_JSON_EXPORT_ROWS + 1).collectList()
                    .map(rows -> {
                        if (rows.size() > MAX_JSON_EXPORT_ROWS) {
                            throw new InvalidParameterException("from", "and to select more than "
                                    + MAX_JSON_EXPORT_ROWS + " rows; narrow the range or use format=csv");
                        }
                        return ok.contentType(MediaType.APPLICATION_JSON).body(Flux.just(buffer(json(new Export(
                                caller.tenantId().toString(), range.from(), range.to(), rows)))));
                    });
        }
        Flux<DataBuffer> csv = Flux.concat(Mono.just(UsageCsv.header()),
                        usage.export(caller.tenantId(), range, MAX_CSV_EXPORT_ROWS).map(UsageCsv::row))
                .map(text -> buffer(text.getBytes(StandardCharsets.UTF_8)));
        return Mono.just(ok.contentType(TEXT_CSV).body(csv));
    }

    /** Both formats are written as bytes: a download, whatever encoders the content type would pick. */
    private static DataBuffer buffer(byte[] bytes) {
        return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
    }

    private byte[] json(Object value) {
        try {
            return objectMapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("usage export is not serialisable", e);
        }
    }

    private TimeRange seriesRange(Period period, String from, String to) {
        Instant now = clock.instant();
        TimeRange range = TimeRange.parse(from, to, period.defaultFrom(now), now.plusMillis(1));
        if (period.approximateBuckets(range.from(), range.to()) > MAX_BUCKETS) {
            throw new InvalidParameterException("from", "and to span more than " + MAX_BUCKETS + " "
                    + period.unit() + "s; narrow the range or use a longer period");
        }
        return range;
    }

    static Instant monthStart(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static List<RateLimitRow> rows(RateLimitStatus.TenantRateLimits limits) {
        List<RateLimitRow> rows = new ArrayList<>();
        for (RateLimitStatus.EndpointWindows e : limits.endpoints()) {
            rows.add(row(e.endpoint(), "minute", e.minute()));
            rows.add(row(e.endpoint(), "day", e.day()));
        }
        return rows;
    }

    private static RateLimitRow row(String endpoint, String window, RateLimitStatus.Window w) {
        return new RateLimitRow(endpoint, window, w.used(), w.limit(), w.remaining(), w.resetsAt());
    }
}
