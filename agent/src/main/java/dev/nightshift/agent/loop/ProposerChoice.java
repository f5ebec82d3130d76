package dev.nightshift.agent.loop;

import java.util.Optional;
import java.util.OptionalInt;

import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.llm.LlmResearcher;
import dev.nightshift.agent.strategy.StrategyCatalog;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The LLM researcher when one is configured, else the configured built-in strategy. */
@Component
public class ProposerChoice {

	private final Optional<LlmResearcher> llm;
	private final StrategyCatalog strategies;
	private final LoopProperties properties;

	ProposerChoice(ObjectProvider<LlmResearcher> llm, StrategyCatalog strategies, LoopProperties properties) {
		this.llm = Optional.ofNullable(llm.getIfAvailable());
		this.strategies = strategies;
		this.properties = properties;
	}

	public Proposer current() {
		return llm.<Proposer>map(researcher -> researcher).orElseGet(() -> strategies.forName(properties.strategy()));
	}

	/**
	 * The most calls a loop may make to {@code proposer} in an hour: the LLM researcher's ceiling; none for a
	 * built-in strategy, which costs nothing to ask.
	 */
	OptionalInt callsPerHour(Proposer proposer) {
		return proposer instanceof LlmResearcher researcher ? OptionalInt.of(researcher.maxCallsPerHour())
				: OptionalInt.empty();
	}
}
