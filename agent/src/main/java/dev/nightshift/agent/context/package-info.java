/**
 * What a proposer is told: {@link dev.nightshift.agent.context.ResearchContextBuilder} builds a
 * {@link dev.nightshift.agent.ResearchContext} fresh from the database for every call, in a handful of
 * queries whatever the history's length, and {@link dev.nightshift.agent.context.DigestRenderer} renders it as
 * text for an LLM within a token budget, never dropping the best run, the newest runs, a dead end or a veto.
 */
package dev.nightshift.agent.context;
