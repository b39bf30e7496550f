package io.dynamicrag.app.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.time.Duration;
import java.util.List;

/**
 * The dashboard is a single-page app: its client routes (a reload, a shared deep link) are answered with
 * index.html and the app's router takes over. The route list is fixed and kept here, the one place the security
 * rules read it from, so no API path can ever be shadowed by the page.
 *
 * <p>A request is a page request only when it is a GET to one of the routes whose {@code Accept} names
 * {@code text/html} explicitly, as a browser's navigation does: {@code /search} is also the API's search
 * ({@code POST}), and a GET from an API client ({@code Accept: application/json} or {@code *}{@code /*}) keeps its API
 * answer. {@code /assets/**} holds only content-hashed files, cached for a year.
 */
@Configuration
public class DashboardRoutes implements WebFluxConfigurer {

    /** Client routes of the dashboard (ui/src/App.tsx); none lies under /api, /actuator, /mcp or /tools. */
    public static final List<String> PATHS = List.of("/", "/login", "/signup",
            "/documents", "/documents/{id}", "/search", "/webhooks", "/settings",
            "/metrics", "/metrics/tokens", "/metrics/costs", "/audit", "/integrations/mcp",
            "/admin", "/admin/customers/{id}");

    /** What the built app needs and nothing more: its own scripts, styles (React sets inline styles), icons. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /** Content-hashed file names change with their content: a cached copy is never stale. */
    static final CacheControl ASSET_CACHE = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

    private static final Resource INDEX = new ClassPathResource("static/index.html");
    private static final List<PathPattern> PATTERNS = PATHS.stream()
            .map(PathPatternParser.defaultInstance::parse)
            .toList();

    /** True for a browser's navigation to a dashboard route: GET, a route path, Accept naming text/html. */
    public static boolean isPageRequest(ServerHttpRequest request) {
        if (request.getMethod() != HttpMethod.GET || !acceptsHtmlExplicitly(request.getHeaders())) {
            return false;
        }
        PathContainer path = request.getPath().pathWithinApplication();
        return PATTERNS.stream().anyMatch(pattern -> pattern.matches(path));
    }

    private static boolean acceptsHtmlExplicitly(HttpHeaders headers) {
        try {
            return headers.getAccept().stream().anyMatch(type -> MediaType.TEXT_HTML.equalsTypeAndSubtype(type)
                    && type.getQualityValue() > 0);
        } catch (org.springframework.http.InvalidMediaTypeException e) {
            return false;
        }
    }

    @Bean
    RouterFunction<ServerResponse> dashboardPages() {
        RequestPredicate pages = request -> isPageRequest(request.exchange().getRequest());
        return RouterFunctions.route(pages, request -> INDEX.exists()
                ? ServerResponse.ok().contentType(MediaType.TEXT_HTML)
                        .cacheControl(CacheControl.noCache())
                        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                        .header("X-Content-Type-Options", "nosniff")
                        .header("Referrer-Policy", "same-origin")
                        .bodyValue(INDEX)
                : ServerResponse.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .bodyValue(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                                "The dashboard is not part of this build (ui/ was not built)")));
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**")
                .addResourceLocations("classpath:/static/assets/")
                .setCacheControl(ASSET_CACHE);
    }
}
