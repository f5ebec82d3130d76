/**
 * Nightshift as a Model Context Protocol server at {@code /mcp} (streamable HTTP, on the same server and behind
 * the same HTTP Basic sign-in as the API), so that a coding agent (Claude Code, Codex, any MCP client) can do
 * the research: read the digest, propose, wait for results, conclude questions. Every tool is a thin adapter
 * over the use cases the API and the loop use; a proposal goes through the one validated way in, and the
 * caller's role limits what the tools do as it limits the API's paths.
 */
package dev.nightshift.web.mcp;
