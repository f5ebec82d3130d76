package dev.nightshift.agent.loop;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What a run cost its proposers: its share of the call that proposed it (the proposal's cost over the runs
 * the proposal has, replicates included) plus its share of the reflection on it ({@code run.reflection_*}).
 */
@Component
public class RunCosts {

	private final JdbcClient jdbc;

	RunCosts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * One run's cost, or the sum over several.
	 *
	 * @param proposalUsd      the proposal's share, US dollars
	 * @param reflectionUsd    the reflection's share
	 * @param proposalTokens   prompt and answer tokens of the proposal's share
	 * @param reflectionTokens prompt and answer tokens of the reflection's share
	 * @param cachedTokens     of those prompt tokens, the ones read from the provider's cache
	 */
	public record Cost(double proposalUsd, double reflectionUsd, long proposalTokens, long reflectionTokens,
			long cachedTokens) {

		public double totalUsd() {
			return proposalUsd + reflectionUsd;
		}

		public long totalTokens() {
			return proposalTokens + reflectionTokens;
		}

		/** For a table cell: the dollars when prices are set, the tokens otherwise, blank for nothing spent. */
		public String label() {
			if (totalUsd() > 0) {
				return String.format(Locale.ROOT, "$%.4f", totalUsd());
			}
			return totalTokens() > 0 ? totalTokens() + " tok" : "";
		}

		/** The two shares in words, for a tooltip. */
		public String detail() {
			return String.format(Locale.ROOT, "proposal $%.4f (%d tokens) + reflection $%.4f (%d tokens); %d cached",
					proposalUsd, proposalTokens, reflectionUsd, reflectionTokens, cachedTokens);
		}
	}

	/**
	 * What runs since {@code since} cost, on average per run.
	 *
	 * @param runs    the runs queued since then
	 * @param perRun  the mean cost of one
	 * @param total   all of them together
	 */
	public record Summary(int runs, Cost perRun, Cost total) {
	}

	/** The cost of each of the runs named, by id. */
	public Map<Long, Cost> of(Collection<Long> runIds) {
		Map<Long, Cost> costs = new LinkedHashMap<>();
		if (runIds.isEmpty()) {
			return costs;
		}
		jdbc.sql(SHARES + " where r.id in (:ids)")
			.param("ids", runIds)
			.query((rs, row) -> costs.put(rs.getLong("id"), cost(rs)))
			.list();
		return costs;
	}

	/** The runs of an experiment queued since {@code since}, what they cost together and per run. */
	public Summary since(long experimentId, Instant since) {
		Cost total = new Cost(0, 0, 0, 0, 0);
		int runs = 0;
		for (Cost cost : jdbc.sql(SHARES + " where r.experiment_id = :e and r.queued_at >= :since")
			.param("e", experimentId)
			.param("since", Timestamp.from(since))
			.query((rs, row) -> cost(rs))
			.list()) {
			runs++;
			total = new Cost(total.proposalUsd() + cost.proposalUsd(), total.reflectionUsd() + cost.reflectionUsd(),
					total.proposalTokens() + cost.proposalTokens(), total.reflectionTokens() + cost.reflectionTokens(),
					total.cachedTokens() + cost.cachedTokens());
		}
		int n = Math.max(1, runs);
		Cost perRun = new Cost(total.proposalUsd() / n, total.reflectionUsd() / n, total.proposalTokens() / n,
				total.reflectionTokens() / n, total.cachedTokens() / n);
		return new Summary(runs, perRun, total);
	}

	private static final String SHARES = """
			select r.id,
			       coalesce(p.cost_usd, 0) / greatest(1, (select count(*) from run o where o.proposal_id = r.proposal_id))
			         as proposal_usd,
			       coalesce(p.tokens_in + p.tokens_out, 0)
			         / greatest(1, (select count(*) from run o where o.proposal_id = r.proposal_id)) as proposal_tokens,
			       coalesce(p.tokens_cached, 0)
			         / greatest(1, (select count(*) from run o where o.proposal_id = r.proposal_id)) as proposal_cached,
			       r.reflection_cost_usd, r.reflection_tokens_in + r.reflection_tokens_out as reflection_tokens,
			       r.reflection_tokens_cached
			from run r left join proposal p on p.id = r.proposal_id""";

	private static Cost cost(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new Cost(rs.getDouble("proposal_usd"), rs.getDouble("reflection_cost_usd"), rs.getLong("proposal_tokens"),
				rs.getLong("reflection_tokens"), rs.getLong("proposal_cached") + rs.getLong("reflection_tokens_cached"));
	}
}
