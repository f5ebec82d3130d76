package dev.nightshift.agent.loop;

import java.util.List;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.experiments.proposal.Proposal;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The prompt tokens a call read from the provider's cache, kept on the proposal that carries the call's cost. */
final class CachedTokens {

	private CachedTokens() {
	}

	/** Records each draft's cached tokens on the proposal recorded from it, in the same order. */
	static void record(JdbcClient jdbc, List<Proposal> made, List<ProposalDraft> drafts) {
		for (int i = 0; i < Math.min(made.size(), drafts.size()); i++) {
			long cached = drafts.get(i).usage().cachedTokens();
			if (cached > 0) {
				jdbc.sql("update proposal set tokens_cached = :cached where id = :id")
					.param("cached", cached)
					.param("id", made.get(i).id().value())
					.update();
			}
		}
	}
}
