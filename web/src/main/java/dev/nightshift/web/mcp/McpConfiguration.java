package dev.nightshift.web.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;

/**
 * The MCP server, on the official Java SDK's streamable HTTP transport for servlets, mounted at {@link #ENDPOINT}
 * beside the API. The servlet sits behind the same security chain as {@code /api/**} (HTTP Basic, stateless),
 * and passes each request's account to the tools through the transport context.
 */
@Configuration(proxyBeanMethods = false)
class McpConfiguration {

	static final String ENDPOINT = "/mcp";

	private static final String INSTRUCTIONS = """
			Nightshift runs training experiments overnight: it queues runs on its GPUs, judges each result against the
			measured noise, keeps the best commit, and logs dead ends. Use the prompt nightshift_researcher for how to
			work: research_digest, then propose, then wait_for_results, then conclude_question. Never repeat a dead end.""";

	@Bean
	HttpServletStreamableServerTransportProvider mcpTransport(RoleHierarchy roles) {
		return HttpServletStreamableServerTransportProvider.builder()
			.jsonMapper(McpJsonDefaults.getMapper())
			.mcpEndpoint(ENDPOINT)
			.contextExtractor(Caller.extractor(roles))
			.build();
	}

	@Bean
	ServletRegistrationBean<HttpServletStreamableServerTransportProvider> mcpServlet(
			HttpServletStreamableServerTransportProvider transport) {
		ServletRegistrationBean<HttpServletStreamableServerTransportProvider> registration =
				new ServletRegistrationBean<>(transport, ENDPOINT);
		registration.setName("mcp");
		registration.setAsyncSupported(true);
		return registration;
	}

	@Bean(destroyMethod = "close")
	McpSyncServer mcpServer(HttpServletStreamableServerTransportProvider transport, ResearchTools tools,
			ExperimentResources resources) {
		McpJsonMapper mapper = McpJsonDefaults.getMapper();
		return McpServer.sync(transport)
			.serverInfo("nightshift", McpConfiguration.class.getPackage().getImplementationVersion() == null ? "dev"
					: McpConfiguration.class.getPackage().getImplementationVersion())
			.instructions(INSTRUCTIONS)
			.capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).prompts(false).build())
			.tools(tools.definitions().stream().map(tool -> ToolResults.specification(tool, mapper)).toList())
			.resourceTemplates(resources.specifications())
			.prompts(ResearcherPrompt.specification())
			.build();
	}
}
