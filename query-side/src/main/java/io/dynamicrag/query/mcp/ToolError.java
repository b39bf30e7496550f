package io.dynamicrag.query.mcp;

/**
 * A failure the caller can act on (bad arguments, unknown document, feature unavailable): its message becomes the
 * text of an {@code isError: true} tool result. Anything else thrown by a tool is logged and reported without
 * details, so no stack trace or internal name ever reaches a client.
 */
class ToolError extends RuntimeException {

    ToolError(String message) {
        super(message, null, false, false);
    }
}
