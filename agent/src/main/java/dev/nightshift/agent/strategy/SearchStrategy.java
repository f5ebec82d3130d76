package dev.nightshift.agent.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.Usage;

/**
 * What the built-in strategies share: one {@link Search} per call (the space, the values not to propose
 * again, a random source seeded from the context) and the loop that asks the strategy for one candidate at a
 * time. A strategy that finds nothing new within its tries proposes fewer than asked, never a duplicate.
 */
abstract class SearchStrategy implements Proposer {

	private final String name;

	SearchStrategy(String name) {
		this.name = name;
	}

	@Override
	public final String name() {
		return "strategy:" + name;
	}

	@Override
	public final List<ProposalDraft> propose(ResearchContext context, int count) {
		if (count <= 0 || context.spec().parameters().isEmpty()) {
			return List.of();
		}
		Search search = new Search(context, name);
		List<ProposalDraft> drafts = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Candidate candidate = next(search);
			if (candidate == null) {
				break;
			}
			search.proposed(candidate.params());
			drafts.add(ProposalDraft.of(null, candidate.question(), candidate.params(), null, candidate.rationale(),
					candidate.expectedEffect(), Usage.NONE));
		}
		return drafts;
	}

	/** The next proposal, or null when no new values were found within the strategy's tries. */
	abstract Candidate next(Search search);

	/**
	 * One proposal before it becomes a draft.
	 *
	 * @param params full parameter values, already checked to be new
	 */
	record Candidate(Map<String, Object> params, String question, String rationale, String expectedEffect) {
	}
}
