/**
 * Proposers: whatever suggests the next change to try. The LLM researcher ({@code llm}) and the built-in
 * strategies ({@code strategy}) implement one {@link dev.nightshift.agent.Proposer} interface; both read a
 * {@link dev.nightshift.agent.ResearchContext} built fresh from the database for every call.
 */
package dev.nightshift.agent;
