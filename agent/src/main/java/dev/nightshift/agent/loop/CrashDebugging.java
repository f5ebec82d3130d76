package dev.nightshift.agent.loop;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

import dev.nightshift.agent.Crash;
import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.context.ResearchContextBuilder;
import dev.nightshift.agent.llm.LlmResearcher;
import dev.nightshift.agent.validation.ProposalIntake;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.run.RunId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The debug step, as AIDE has it: a run of a patch that crashed (FAILED, not a time-out, OOM or divergence) is
 * shown to the LLM researcher with the end of its log, and its fix becomes a child of the crashed proposal, for the
 * same question, recorded through {@link ProposalIntake} like any proposal. Crashes waiting for a fix are found in
 * the database, so none is forgotten by a restart, and each is asked about once ({@code debug_asked_at}). Fixes go
 * at most {@link Crash#MAX_DEPTH} levels deep; only crashes of runs since the loop started are debugged.
 */
@Component
class CrashDebugging {

	private static final String CRASHES = """
			select p.id as proposal_id, r.id as run_id, q.id as question_id, q.text as question, r.error,
			       (p.parent_id is not null)::int as depth
			from proposal p
			join run r on r.proposal_id = p.id and r.kind = 'PROPOSAL' and r.status = 'FAILED'
			join question q on q.id = p.question_id and q.status = 'OPEN'
			left join proposal parent on parent.id = p.parent_id
			where p.experiment_id = :e and p.patch is not null and not p.baseline
			  and (p.debug_asked_at is null or :asked)
			  and (p.parent_id is null or parent.parent_id is null)
			  and r.finished_at >= :since and (:run < 0 or r.id = :run)
			order by r.id
			limit 1""";

	private final JdbcClient jdbc;
	private final ProposalRepository proposals;
	private final ResearchContextBuilder contexts;
	private final ProposalIntake intake;

	CrashDebugging(JdbcClient jdbc, ProposalRepository proposals, ResearchContextBuilder contexts,
			ProposalIntake intake) {
		this.jdbc = jdbc;
		this.proposals = proposals;
		this.contexts = contexts;
		this.intake = intake;
	}

	private record Row(long proposalId, long runId, long questionId, String question, String error, int depth) {
	}

	/** The oldest crash of the loop's experiment that waits for a fix, if any. */
	Optional<Crash> next(Loop loop) {
		return find(loop, -1, false).map(this::crash);
	}

	/**
	 * Whether the run is a crash that is debugged, or will be (its fix asked for already or not): its question is
	 * left open for the fix to study.
	 */
	boolean waitsForFix(Loop loop, RunId run) {
		return find(loop, run.value(), true).isPresent();
	}

	/**
	 * Claims {@code crash} for a fix, so that it is asked about once.
	 *
	 * @return false when another step claimed it first
	 */
	boolean claim(Crash crash) {
		return jdbc.sql("update proposal set debug_asked_at = now() where id = :id and debug_asked_at is null")
			.param("id", crash.proposalId())
			.update() > 0;
	}

	/**
	 * Asks {@code debugger} for the fix of a {@link #claim claimed} crash and records it as the crashed
	 * proposal's child; nothing when the model found nothing to fix.
	 */
	List<Proposal> debug(LlmResearcher debugger, Crash crash, ResearchContext context) {
		return debugger.debug(context, crash).map(fix -> {
			Proposal recorded = intake.recordFix(proposals.require(new ProposalId(crash.proposalId())).experimentId(),
					debugger.name(), new ProposalId(crash.proposalId()), fix);
			CachedTokens.record(jdbc, List.of(recorded), List.of(fix));
			return List.of(recorded);
		}).orElse(List.of());
	}

	private Optional<Row> find(Loop loop, long run, boolean asked) {
		return jdbc.sql(CRASHES)
			.param("e", loop.experimentId().value())
			.param("since", Timestamp.from(loop.startedAt()))
			.param("run", run)
			.param("asked", asked)
			.query((rs, n) -> new Row(rs.getLong("proposal_id"), rs.getLong("run_id"), rs.getLong("question_id"),
					rs.getString("question"), rs.getString("error"), rs.getInt("depth")))
			.optional();
	}

	private Crash crash(Row row) {
		Proposal proposal = proposals.require(new ProposalId(row.proposalId()));
		return new Crash(row.proposalId(), row.runId(), row.questionId(), row.question(), proposal.params(),
				proposal.patch().orElseThrow(), contexts.crashExcerpt(row.runId(), row.error()), row.depth());
	}
}
