/**
 * The built-in strategies: proposers that need no LLM ({@code strategy:random}, {@code strategy:tpe},
 * {@code strategy:evolution}), looked up by name in {@link dev.nightshift.agent.strategy.StrategyCatalog}. Each
 * works on the parameters only, is reproducible from the context's seed, and never proposes values already
 * run, pending, vetoed or rejected, nor next to a dead end's run.
 */
package dev.nightshift.agent.strategy;
