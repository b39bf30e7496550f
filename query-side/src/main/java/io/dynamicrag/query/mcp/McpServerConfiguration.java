package io.dynamicrag.query.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.query.documents.DocumentReadRepository;
import io.dynamicrag.query.search.SearchAdmission;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.server.transport.WebFluxStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The MCP server (official MCP Java SDK, stateless Streamable HTTP transport on WebFlux) at {@code /mcp}, with
 * read-only tools over the caller's own documents. Authentication and rate limits are the application's: the
 * security chain answers 401 before any MCP handling, and {@link McpCaller} hands the verified tenant to the tools.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
class McpServerConfiguration {

    static final String SERVER_NAME = "dynamic-rag";
    static final String INSTRUCTIONS = """
            Search and read the documents of your Dynamic RAG account. search_documents finds the passages that \
            answer a question; search_catalog finds which documents are about a topic; list_documents pages through \
            all documents; get_document reads a document's text page by page; get_document_versions shows its \
            version history. You only ever see your own account's documents.""";

    /** The protocol's own JSON (camelCase MCP messages), kept apart from the application's snake_case mapper. */
    private final McpJsonMapper protocolJson = new JacksonMcpJsonMapper(new ObjectMapper());

    @Bean
    McpCaller mcpCaller() {
        return new McpCaller();
    }

    @Bean
    WebFluxStatelessServerTransport mcpTransport() {
        return WebFluxStatelessServerTransport.builder()
                .jsonMapper(protocolJson)
                .messageEndpoint(McpRoutes.MCP_PATH)
                .contextExtractor(McpCaller::extract)
                .build();
    }

    // tools are listed in the order of these methods
    @Bean
    @Order(1)
    SearchDocumentsTool searchDocumentsTool(QueryGateway queries, io.dynamicrag.kernel.usage.UsageMeter usage,
                                            SearchAdmission admission) {
        return new SearchDocumentsTool(queries, usage, admission);
    }

    @Bean
    @Order(2)
    SearchCatalogTool searchCatalogTool(QueryGateway queries, io.dynamicrag.kernel.usage.UsageMeter usage,
                                        SearchAdmission admission) {
        return new SearchCatalogTool(queries, usage, admission);
    }

    @Bean
    @Order(3)
    ListDocumentsTool listDocumentsTool(DocumentReadRepository documents, ObjectMapper objectMapper) {
        return new ListDocumentsTool(documents, objectMapper);
    }

    @Bean
    @Order(4)
    GetDocumentTool getDocumentTool(DocumentReadRepository documents, BlobStore blobs) {
        return new GetDocumentTool(documents, blobs);
    }

    @Bean
    @Order(5)
    GetDocumentVersionsTool getDocumentVersionsTool(DocumentReadRepository documents) {
        return new GetDocumentVersionsTool(documents);
    }

    @Bean(destroyMethod = "close")
    McpStatelessAsyncServer mcpServer(WebFluxStatelessServerTransport transport, List<McpTool> mcpTools,
                                      ObjectMapper objectMapper) {
        McpToolAdapter adapter = new McpToolAdapter(protocolJson, objectMapper);
        return McpServer.async(transport)
                .serverInfo(new McpSchema.Implementation(SERVER_NAME, "Dynamic RAG", version()))
                .instructions(INSTRUCTIONS)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(protocolJson)
                .jsonSchemaValidator(new DefaultJsonSchemaValidator())
                .requestTimeout(Duration.ofSeconds(60))
                .tools(mcpTools.stream().map(adapter::specification).toList())
                .build();
    }

    /** Takes the server so that it exists (and has installed its handler in the transport) before routes serve. */
    @Bean
    RouterFunction<ServerResponse> mcpRoutes(WebFluxStatelessServerTransport transport, List<McpTool> mcpTools,
                                             McpStatelessAsyncServer mcpServer) {
        McpRoutes.ServerInfo info = new McpRoutes.ServerInfo(SERVER_NAME, "Dynamic RAG", version(),
                transport.protocolVersions(), INSTRUCTIONS);
        return McpRoutes.routes(transport.getRouterFunction(), info, mcpTools);
    }

    private static String version() {
        return Optional.ofNullable(McpServerConfiguration.class.getPackage().getImplementationVersion()).orElse("dev");
    }
}
