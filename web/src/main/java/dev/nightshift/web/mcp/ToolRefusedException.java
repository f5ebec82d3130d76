package dev.nightshift.web.mcp;

/** A tool the caller's role does not allow; the MCP counterpart of the API's 403. */
class ToolRefusedException extends RuntimeException {

	ToolRefusedException(String message) {
		super(message);
	}
}
