package io.dynamicrag.app.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import java.util.Arrays;
import java.util.List;

/**
 * The dashboard is a single-page app: its client routes (a reload, a shared deep link) are answered with
 * index.html and the app's router takes over. The route list is fixed and kept here, the one place the security
 * rules read it from, so no API path can ever be shadowed by the page.
 */
@Configuration
public class DashboardRoutes {

    /** Client routes of the dashboard; none lies under /api, /actuator, /mcp or /tools. */
    public static final List<String> PATHS = List.of("/", "/login", "/signup");

    private static final Resource INDEX = new ClassPathResource("static/index.html");

    public static String[] paths() {
        return PATHS.toArray(String[]::new);
    }

    @Bean
    RouterFunction<ServerResponse> dashboardPages() {
        RequestPredicate pages = Arrays.stream(paths())
                .map(RequestPredicates::GET)
                .reduce(RequestPredicate::or)
                .orElseThrow()
                .and(RequestPredicates.accept(MediaType.TEXT_HTML));
        return RouterFunctions.route(pages, request -> INDEX.exists()
                ? ServerResponse.ok().contentType(MediaType.TEXT_HTML)
                        .cacheControl(CacheControl.noCache())
                        .bodyValue(INDEX)
                : ServerResponse.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .bodyValue(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                                "The dashboard is not part of this build (ui/ was not built)")));
    }
}
