package dev.nightshift.web.mcp;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The MCP SDK's own client over streamable HTTP, signed in with HTTP Basic as an agent's client would be. */
final class McpClients {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private McpClients() {
	}

	static McpSyncClient connect(int port, String username, String password) {
		String basic = "Basic " + Base64.getEncoder()
			.encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
		HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://localhost:" + port)
			.endpoint("/mcp")
			.requestBuilder(HttpRequest.newBuilder().header("Authorization", basic))
			.build();
		McpSyncClient client = McpClient.sync(transport)
			.clientInfo(new McpSchema.Implementation("nightshift-test-agent", "1.0"))
			.requestTimeout(Duration.ofMinutes(4))
			.build();
		client.initialize();
		return client;
	}

	static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
		return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
	}

	/** The result's first text content as JSON. */
	static JsonNode json(CallToolResult result) {
		return JSON.readTree(text(result));
	}

	static String text(CallToolResult result) {
		List<McpSchema.Content> content = result.content();
		return ((McpSchema.TextContent) content.get(0)).text();
	}
}
