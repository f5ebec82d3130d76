package dev.nightshift.web.mcp;

/**
 * One MCP tool: its name, what it does (the agent reads this to decide when to call it), the JSON schema of its
 * arguments, and its body. A body returns a {@link String} to answer in plain text, or any other object to
 * answer in JSON (as text and as structured content).
 */
record ToolDefinition(String name, String description, String inputSchema, Body body) {

	@FunctionalInterface
	interface Body {

		Object call(Caller caller, Arguments arguments);
	}
}
