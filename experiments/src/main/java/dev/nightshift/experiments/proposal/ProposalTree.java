package dev.nightshift.experiments.proposal;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The debug tree around a proposal: the proposal whose crash it fixes, and the fixes made of its own crash, each
 * with the outcome of its latest run, as the API and the proposal page show them.
 */
@Component
public class ProposalTree {

	private static final String NODES = """
			select p.id, p.status, p.proposer, r.id as run_id, r.status as run_status, r.objective, r.verdict
			from proposal p
			left join lateral (select id, status, objective, verdict from run where proposal_id = p.id
			                   order by id desc limit 1) r on true
			where %s
			order by p.id""";

	private final JdbcClient jdbc;

	ProposalTree(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * A proposal of the tree.
	 *
	 * @param runId     its latest run, or null when it has not run
	 * @param runStatus that run's outcome (FAILED for a crash), or null
	 * @param objective that run's objective value, or null
	 * @param verdict   that run's verdict, or null
	 */
	public record Node(long id, String status, String proposer, Long runId, String runStatus, Double objective,
			String verdict) {
	}

	/** The proposal whose crash {@code id} fixes; empty for a proposal that is no fix. */
	public Optional<Node> parentOf(ProposalId id) {
		return nodes("p.id = (select parent_id from proposal where id = :id)", id).stream().findFirst();
	}

	/** The fixes of {@code id}'s crash, oldest first. */
	public List<Node> childrenOf(ProposalId id) {
		return nodes("p.parent_id = :id", id);
	}

	private List<Node> nodes(String where, ProposalId id) {
		return jdbc.sql(NODES.formatted(where))
			.param("id", id.value())
			.query((rs, row) -> new Node(rs.getLong("id"), rs.getString("status"), rs.getString("proposer"),
					rs.getObject("run_id", Long.class), rs.getString("run_status"), rs.getObject("objective", Double.class),
					rs.getString("verdict")))
			.list();
	}
}
