package dev.nightshift.agent.loop;

import java.util.List;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Usage;
import dev.nightshift.experiments.proposal.Proposal;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The prompt tokens a call read from the provider's cache, kept on the proposals it made ({@code tokens_cached}). */
final class CachedTokens {

	private CachedTokens() {
	}

	/**
	 * Records the call's cached tokens on the proposals recorded from its drafts, shared out as
	 * {@link dev.nightshift.agent.validation.ProposalIntake#record} shares the rest of its cost.
	 */
	static void record(JdbcClient jdbc, List<Proposal> made, List<ProposalDraft> drafts) {
		Usage call = drafts.stream().map(ProposalDraft::usage).reduce(Usage.NONE, Usage::plus);
		for (int i = 0; i < made.size(); i++) {
			long cached = call.share(made.size(), i).cachedTokens();
			if (cached > 0) {
				jdbc.sql("update proposal set tokens_cached = :cached where id = :id")
					.param("cached", cached)
					.param("id", made.get(i).id().value())
					.update();
			}
		}
	}
}
