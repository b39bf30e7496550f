package io.dynamicrag.query.mcp;

import io.dynamicrag.kernel.security.AuthenticatedTenant;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP face of the MCP server. {@code POST /mcp} is the Streamable HTTP transport (JSON-RPC). {@code GET /mcp}
 * answers server information as JSON, unless the client asks for {@code text/event-stream} (a Streamable HTTP
 * client opening its listening stream): that request goes to the transport, which says 405 (this stateless server
 * has no server-to-client stream, as the spec allows). {@code GET /tools} lists the tools with their schemas.
 */
final class McpRoutes {

    static final String MCP_PATH = "/mcp";
    static final String TOOLS_PATH = "/tools";

    private McpRoutes() {
    }

    static RouterFunction<ServerResponse> routes(RouterFunction<?> transport, ServerInfo info, List<McpTool> tools) {
        RequestPredicate plainGet = request -> !request.headers().accept().contains(MediaType.TEXT_EVENT_STREAM);
        List<ToolListing> listing = tools.stream().map(ToolListing::of).toList();
        @SuppressWarnings("unchecked")
        RouterFunction<ServerResponse> mcp = (RouterFunction<ServerResponse>) transport;
        return RouterFunctions.route()
                .GET(MCP_PATH, plainGet, request -> caller(request).flatMap(caller ->
                        ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(info.describe(caller, listing))))
                .GET(TOOLS_PATH, request -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(new ToolList(listing.size(), listing)))
                .build()
                .and(mcp);
    }

    private static Mono<AuthenticatedTenant> caller(ServerRequest request) {
        return Mono.justOrEmpty(McpCaller.of(request));
    }

    /** What {@code GET /mcp} tells a person or a client about this server and how to connect. */
    record ServerInfo(String name, String title, String version, List<String> protocolVersions, String instructions) {

        Map<String, Object> describe(AuthenticatedTenant caller, List<ToolListing> tools) {
            Map<String, Object> described = new LinkedHashMap<>();
            described.put("name", name);
            described.put("title", title);
            described.put("version", version);
            described.put("protocol_versions", protocolVersions);
            described.put("transport", Map.of("type", "streamable-http", "endpoint", MCP_PATH, "stateless", true));
            described.put("authentication", "X-API-Key: <api key>, or Authorization: Bearer <api key or JWT>");
            described.put("customer_id", caller.tenantId().toString());
            described.put("capabilities", Map.of("tools", true));
            described.put("tools", tools.stream().map(ToolListing::name).toList());
            described.put("instructions", instructions);
            return described;
        }
    }

    record ToolList(int count, List<ToolListing> tools) {
    }

    /** One tool as {@code GET /tools} shows it: the same definition {@code tools/list} returns, in snake_case. */
    record ToolListing(String name, String title, String description, Map<String, Object> inputSchema,
                       Map<String, Object> outputSchema, boolean readOnly) {

        static ToolListing of(McpTool tool) {
            return new ToolListing(tool.name(), tool.title(), tool.description(), tool.inputSchema(),
                    tool.outputSchema(), true);
        }
    }
}
