package dev.nightshift.agent.strategy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
		Set<String> deadEnds = new HashSet<>();
		context.deadEnds().forEach(question -> deadEnds.add(question.text().strip().toLowerCase(Locale.ROOT)));
		List<ProposalDraft> drafts = new ArrayList<>();
		int tries = 0;
		while (drafts.size() < count && tries++ < count * DIRECTION_TRIES) {
			Candidate candidate = next(search);
			if (candidate == null) {
				break;
			}
			search.proposed(candidate.params());
			String question = Wording.direction(search, candidate.params());
			// A direction that is a dead end is not walked into again: draw another candidate instead.
			if (deadEnds.contains(question.toLowerCase(Locale.ROOT))) {
				continue;
			}
			drafts.add(ProposalDraft.of(null, question, candidate.params(), null,
					candidate.rationale() + " Candidate: " + candidate.question(), candidate.expectedEffect(), Usage.NONE));
		}
		return drafts;
	}

	/** Candidates drawn per wanted proposal before giving up on directions that are all dead ends. */
	static final int DIRECTION_TRIES = 20;

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
