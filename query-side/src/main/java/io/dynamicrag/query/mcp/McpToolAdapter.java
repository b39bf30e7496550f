package io.dynamicrag.query.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * Turns an {@link McpTool} into the SDK's tool specification: the definition (schemas, read-only annotations) and a
 * call handler that resolves the caller, runs the tool, and answers its result as structured content plus the same
 * JSON as text (for clients that read only text). A {@link ToolError} becomes {@code isError: true} with its
 * message; anything else is logged and answered with a generic message (never a stack trace).
 */
final class McpToolAdapter {

    private static final Logger log = LoggerFactory.getLogger(McpToolAdapter.class);

    private final McpJsonMapper protocolJson;
    private final ObjectMapper resultJson;

    /**
     * @param resultJson the application's mapper (snake_case fields, ISO-8601 dates) for tool results; the
     *                   protocol's own messages use {@code protocolJson}
     */
    McpToolAdapter(McpJsonMapper protocolJson, ObjectMapper resultJson) {
        this.protocolJson = protocolJson;
        this.resultJson = resultJson;
    }

    McpSchema.Tool definition(McpTool tool) {
        return McpSchema.Tool.builder()
                .name(tool.name())
                .title(tool.title())
                .description(tool.description())
                .inputSchema(protocolJson.convertValue(tool.inputSchema(), McpSchema.JsonSchema.class))
                .outputSchema(tool.outputSchema())
                .annotations(new McpSchema.ToolAnnotations(tool.title(), true, false, true, false, null))
                .build();
    }

    McpStatelessServerFeatures.AsyncToolSpecification specification(McpTool tool) {
        return new McpStatelessServerFeatures.AsyncToolSpecification(definition(tool), (context, request) ->
                Mono.defer(() -> {
                            AuthenticatedTenant caller = McpCaller.of(context);
                            return tool.call(caller, ToolArguments.of(request.arguments(), tool.argumentNames()));
                        })
                        .map(this::success)
                        .onErrorResume(ToolError.class, e -> Mono.just(failure(e.getMessage())))
                        .onErrorResume(e -> {
                            log.error("MCP tool {} failed", tool.name(), e);
                            return Mono.just(failure(tool.name() + " failed because of an internal error; "
                                    + "try again later"));
                        }));
    }

    private McpSchema.CallToolResult success(Object result) {
        Map<String, Object> structured = resultJson.convertValue(result, new TypeReference<>() {
        });
        String text;
        try {
            text = resultJson.writeValueAsString(structured);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write tool result", e);
        }
        return McpSchema.CallToolResult.builder()
                .content(List.of(new McpSchema.TextContent(text)))
                .structuredContent(structured)
                .isError(false)
                .build();
    }

    private static McpSchema.CallToolResult failure(String message) {
        return McpSchema.CallToolResult.builder()
                .content(List.of(new McpSchema.TextContent(message)))
                .isError(true)
                .build();
    }
}
