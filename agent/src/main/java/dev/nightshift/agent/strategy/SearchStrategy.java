package dev.nightshift.agent.strategy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.Map;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.Usage;

/**
 * What the built-in strategies share: one {@link Search} per call (the space, the values not to propose
 * again, a random source seeded from the context) and the loop that asks the strategy for one candidate at a
 * time. Each candidate's question says what it varies: one factor, or an exploration of several. When the
 * strategy's candidates are all known or in dead ends, uniform draws explore untried regions; only when those
 * find nothing new either does it propose fewer than asked, never a duplicate.
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
			// A direction that is a dead end is not walked into again: draw another candidate instead.
			draft(search, candidate, deadEnds).ifPresent(drafts::add);
		}
		// Every direction the strategy drew lies in a dead end, or it found nothing new: explore elsewhere, in an
		// untried region, before saying it has nothing left (the space is exhausted when no draw is new).
		while (drafts.size() < count && tries++ < count * (DIRECTION_TRIES + Search.MAX_TRIES)) {
			Map<String, Object> params = search.uniformDraw();
			if (params == null) {
				break;
			}
			search.proposed(params);
			draft(search, new Candidate(params, "a restart in an untried region", "Every direction around the best"
					+ " that the strategy drew was tried or lies in a dead end, so a uniform draw elsewhere, after "
					+ search.trials().size() + " runs; " + Wording.bestSoFar(context) + ".",
					"a first look at an untried region"), deadEnds).ifPresent(drafts::add);
		}
		return drafts;
	}

	/**
	 * The draft of a candidate, worded by what it varies against the best: a change of one parameter asks a
	 * one-factor question about its direction (its runs are evidence about that factor), a change of several
	 * asks the exploration question (evidence about a region, never about one factor). Empty when that question
	 * is a dead end.
	 */
	private static Optional<ProposalDraft> draft(Search search, Candidate candidate, Set<String> deadEnds) {
		List<String> moved = Wording.changesFromBest(search, candidate.params());
		String question = moved.size() == 1 ? Wording.direction(search, candidate.params()) : Wording.exploration(search);
		if (deadEnds.contains(question.toLowerCase(Locale.ROOT))) {
			return Optional.empty();
		}
		return Optional.of(ProposalDraft.of(null, question, candidate.params(), null,
				candidate.rationale() + " Candidate: " + candidate.question(), candidate.expectedEffect(), Usage.NONE));
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
