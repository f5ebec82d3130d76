-- Issue 16: a loop may be driven by an external agent (a coding agent connected over MCP). Such a loop asks no
-- LLM nor strategy itself; it waits for the agent's proposals and applies its approval policy to them.
-- Null is the proposer the server is configured with (the LLM researcher, else the built-in strategy).
alter table research_loop add column proposer varchar(16);
alter table research_loop add constraint research_loop_proposer_known check (proposer is null or proposer = 'external');
