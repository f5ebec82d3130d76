package dev.nightshift.agent.loop;

import java.util.Optional;

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
}
