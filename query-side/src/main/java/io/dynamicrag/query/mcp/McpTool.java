package io.dynamicrag.query.mcp;

import io.dynamicrag.kernel.security.AuthenticatedTenant;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * One tool of the MCP server. The caller is the tenant the request's credential resolved to; a tool takes no tenant
 * from its arguments. {@link #call} answers the tool's structured result (a JSON object with snake_case fields that
 * matches {@link #outputSchema()}) or fails with a {@link ToolError}.
 */
interface McpTool {

    String name();

    String title();

    String description();

    /** JSON Schema of the arguments (an object schema). */
    Map<String, Object> inputSchema();

    /** JSON Schema of the structured result. */
    Map<String, Object> outputSchema();

    /** The argument names {@link #inputSchema()} declares; others are refused. */
    List<String> argumentNames();

    Mono<Object> call(AuthenticatedTenant caller, ToolArguments arguments);
}
