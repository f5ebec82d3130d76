package dev.nightshift.agent;

import java.util.List;
import java.util.Optional;

/**
 * Suggests changes to try on an experiment and, after a run, what it taught. Implementations must never throw
 * for a bad answer from a model: they return what they could make of it and report the rest as
 * {@link ProposalDraft#error()}.
 */
public interface Proposer {

	/** Who proposes, as recorded on each proposal: {@code llm:<model>}, {@code strategy:<name>}. */
	String name();

	/**
	 * Up to {@code count} new proposals, given everything known about the experiment. Fewer (even none) is a
	 * valid answer.
	 */
	List<ProposalDraft> propose(ResearchContext context, int count);

	/** What a finished run means for its question; strategies have nothing to say. */
	default Optional<Reflection> reflect(ResearchContext context, RunSummary finished) {
		return Optional.empty();
	}

	/**
	 * What several finished runs mean for their questions, at most one reflection per run, in one call where the
	 * proposer can. A reflection without a status is no conclusion, only what asking cost.
	 */
	default List<Reflection> reflectAll(ResearchContext context, List<RunSummary> finished) {
		return finished.stream().flatMap(run -> reflect(context, run).stream()).toList();
	}

	/**
	 * Whether asking costs a call to a model (time, tokens, an hourly ceiling), so that calls run on the model
	 * executor and are planned ahead; a built-in strategy answers at once.
	 */
	default boolean costsCalls() {
		return false;
	}

	/** The most proposals worth asking for in one call. */
	default int maxProposalsPerCall() {
		return Integer.MAX_VALUE;
	}
}
