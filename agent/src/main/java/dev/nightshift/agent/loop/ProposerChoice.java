package dev.nightshift.agent.loop;

import java.util.Optional;
import java.util.OptionalInt;

import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.llm.LlmResearcher;
import dev.nightshift.agent.strategy.StrategyCatalog;
import dev.nightshift.experiments.experiment.ExperimentId;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Who proposes: the LLM researcher when one is configured, else the configured built-in strategy; with
 * {@code nightshift.loop.strategy=hybrid} and an LLM, the LLM for code changes and questions and the built-in TPE
 * for a few tuning runs after each kept code change ({@link HybridTurns}). Only the LLM debugs crashed patches.
 */
@Component
public class ProposerChoice {

	/** The value of {@code nightshift.loop.strategy} that chooses the hybrid proposer. */
	public static final String HYBRID = "hybrid";

	/** The strategy that tunes under the hybrid proposer. */
	static final String TUNER = "tpe";

	/**
	 * One call's proposer and the most proposals it may make in that call.
	 *
	 * @param limit the tuning runs left for a hybrid's strategy; unbounded otherwise
	 */
	record Turn(Proposer proposer, int limit) {
	}

	private final Optional<LlmResearcher> llm;
	private final StrategyCatalog strategies;
	private final LoopProperties properties;
	private final HybridTurns hybrid;

	ProposerChoice(ObjectProvider<LlmResearcher> llm, StrategyCatalog strategies, LoopProperties properties,
			HybridTurns hybrid) {
		this.llm = Optional.ofNullable(llm.getIfAvailable());
		this.strategies = strategies;
		this.properties = properties;
		this.hybrid = hybrid;
		if (hybrid() && this.llm.isEmpty()) {
			throw new IllegalStateException("nightshift.loop.strategy=hybrid needs an LLM: set nightshift.agent.provider"
					+ " and nightshift.agent.model, or choose one of " + String.join(", ", strategies.names()));
		}
	}

	/** The proposer that reflects on finished runs: the LLM when there is one. */
	public Proposer current() {
		return llm.<Proposer>map(researcher -> researcher).orElseGet(() -> strategies.forName(properties.strategy()));
	}

	/**
	 * Who makes the next proposals of {@code experiment}, and how many at most; empty when the hybrid waits for the
	 * verdict of a code change to know whose turn it is.
	 */
	Optional<Turn> turn(ExperimentId experiment) {
		if (hybrid()) {
			OptionalInt tuningLeft = hybrid.tuningLeft(experiment);
			if (tuningLeft.isEmpty()) {
				return Optional.empty();
			}
			if (tuningLeft.getAsInt() > 0) {
				return Optional.of(new Turn(strategies.forName(TUNER), tuningLeft.getAsInt()));
			}
		}
		return Optional.of(new Turn(current(), Integer.MAX_VALUE));
	}

	/** The LLM researcher, which alone debugs crashed patches; empty with a built-in strategy. */
	Optional<LlmResearcher> debugger() {
		return llm;
	}

	/**
	 * The most calls a loop may make to {@code proposer} in an hour: the LLM researcher's ceiling; none for a
	 * built-in strategy, which costs nothing to ask.
	 */
	OptionalInt callsPerHour(Proposer proposer) {
		return proposer instanceof LlmResearcher researcher ? OptionalInt.of(researcher.maxCallsPerHour())
				: OptionalInt.empty();
	}

	private boolean hybrid() {
		return HYBRID.equalsIgnoreCase(properties.strategy().strip());
	}
}
