/**
 * The LLM researcher: a {@link dev.nightshift.agent.Proposer} that asks a chat model (OpenAI, Anthropic, Ollama
 * or any OpenAI-compatible server) through LangChain4j for proposals and reflections as JSON that follows a
 * schema built from the experiment's search space. Faults of the model (rate limits, server errors, time-outs,
 * malformed or truncated JSON) are retried or repaired within bounds and otherwise reported as failed drafts;
 * API keys are read from the environment or a secret file at each call and go only into the request's
 * authentication header.
 */
package dev.nightshift.agent.llm;
