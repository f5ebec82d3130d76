package dev.nightshift.web.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.lifecycle.IllegalTransitionException;
import dev.nightshift.experiments.shared.ConflictException;
import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.experiments.shared.NotFoundException;
import dev.nightshift.experiments.spec.SpecValidationException;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns tool definitions into the SDK's specifications, and a body's answer or failure into a tool result. A
 * failure is a tool error (which the agent reads and can act on) shaped as the API's problem: title, detail, and
 * for a broken rule the {@code errors} with field, rule and message, the same as {@code application/problem+json}.
 */
final class ToolResults {

	private static final Logger log = LoggerFactory.getLogger(ToolResults.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ToolResults() {
	}

	static SyncToolSpecification specification(ToolDefinition tool, McpJsonMapper mapper) {
		McpSchema.Tool schema = McpSchema.Tool.builder()
			.name(tool.name())
			.description(tool.description())
			.inputSchema(mapper, tool.inputSchema())
			.build();
		return SyncToolSpecification.builder()
			.tool(schema)
			.callHandler((exchange, request) -> call(tool, exchange.transportContext(), new Arguments(request.arguments())))
			.build();
	}

	static CallToolResult call(ToolDefinition tool, McpTransportContext context, Arguments arguments) {
		String caller = "an unknown caller";
		try {
			Caller known = Caller.of(context);
			caller = known.name();
			return answer(tool.body().call(known, arguments));
		}
		catch (InvalidRequestException ex) {
			return problem("Invalid request", ex.getMessage(), ex.violations().stream()
				.map(v -> Map.of("field", v.field(), "rule", v.rule(), "message", v.message()))
				.toList());
		}
		catch (SpecValidationException ex) {
			return problem("Invalid request", ex.getMessage(), List.of());
		}
		catch (NotFoundException ex) {
			return problem("Not found", ex.getMessage(), List.of());
		}
		catch (ConflictException | IllegalTransitionException ex) {
			return problem("Conflict", ex.getMessage(), List.of());
		}
		catch (ToolRefusedException ex) {
			return problem("Forbidden", ex.getMessage(), List.of());
		}
		catch (RuntimeException ex) {
			log.error("MCP tool {} failed for {}", tool.name(), caller, ex);
			return problem("Internal error", "the server could not carry out " + tool.name() + "; its log says why",
					List.of());
		}
	}

	private static CallToolResult answer(Object result) {
		if (result instanceof String text) {
			return CallToolResult.builder().addTextContent(text).isError(false).build();
		}
		Map<String, Object> structured = JSON.convertValue(result, JSON.getTypeFactory()
			.constructMapType(LinkedHashMap.class, String.class, Object.class));
		return CallToolResult.builder()
			.addTextContent(JSON.writeValueAsString(result))
			.structuredContent(structured)
			.isError(false)
			.build();
	}

	private static CallToolResult problem(String title, String detail, List<Map<String, String>> errors) {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("title", title);
		problem.put("detail", detail);
		if (!errors.isEmpty()) {
			problem.put("errors", errors);
		}
		return CallToolResult.builder()
			.addTextContent(JSON.writeValueAsString(problem))
			.structuredContent(problem)
			.isError(true)
			.build();
	}
}
