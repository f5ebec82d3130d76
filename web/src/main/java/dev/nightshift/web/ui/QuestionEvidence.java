package dev.nightshift.web.ui;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.spec.Goal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The runs behind each question of the questions tree and the dead-end log: the runs of the question's newest
 * {@link #PER_QUESTION} proposals, each with its objective, verdict and delta against the run it was based on (the
 * numbers a conclusion was drawn from). One query for every question shown, a few index lookups per question
 * (the proposal's question index, the run's proposal index), however many runs the question has.
 */
@Component
class QuestionEvidence {

	/** The most runs listed under one question, newest first. */
	static final int PER_QUESTION = 5;

	private final JdbcClient jdbc;

	QuestionEvidence(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * One run of a question.
	 *
	 * @param delta  its objective less its base run's, when both are known
	 * @param better whether the delta goes the objective's way; null without a delta
	 */
	record EvidenceRun(long id, String status, Double objective, String verdict, Long baseRunId, Double delta,
			Boolean better) {
	}

	/** A question's newest runs, and whether it has older ones. */
	record Runs(List<EvidenceRun> runs, boolean more) {

		/** The runs' ids as the compare page takes them, when there are two to five. */
		public String compareIds() {
			List<EvidenceRun> shown = runs.subList(0, Math.min(runs.size(), RunComparison.MAX_RUNS));
			return shown.size() < RunComparison.MIN_RUNS ? null
					: String.join(",", shown.stream().map(r -> Long.toString(r.id())).toList());
		}
	}

	@Transactional(readOnly = true)
	Map<Long, Runs> of(Experiment experiment, Collection<Long> questionIds) {
		Map<Long, Runs> byQuestion = new HashMap<>();
		if (questionIds.isEmpty()) {
			return byQuestion;
		}
		boolean minimize = experiment.spec().objective().goal() == Goal.MINIMIZE;
		Map<Long, List<EvidenceRun>> lists = new HashMap<>();
		// Per question, its newest proposals straight from the (question_id, id desc) index, a few each, then
		// their runs: never every proposal of a question that has thousands.
		jdbc.sql("""
				select q.id as question_id, r.id, r.status, r.objective, r.verdict, r.base_run_id, b.objective as base_objective
				from unnest(:ids) as q(id) cross join lateral (
				    select r.* from (
				        select p.id from proposal p where p.question_id = q.id and p.experiment_id = :e
				        order by p.id desc limit :limit) newest
				    join run r on r.proposal_id = newest.id
				    order by r.id desc limit :limit) r
				left join run b on b.id = r.base_run_id
				order by q.id, r.id desc""")
			.param("ids", questionIds.toArray(Long[]::new))
			.param("e", experiment.id().value())
			.param("limit", PER_QUESTION + 1)
			.query(rs -> {
				long question = rs.getLong("question_id");
				Double objective = (Double) rs.getObject("objective");
				Double base = (Double) rs.getObject("base_objective");
				Double delta = objective == null || base == null || objective.isNaN() || base.isNaN() ? null : objective - base;
				Boolean better = delta == null ? null : minimize ? delta < 0 : delta > 0;
				Long baseRun = (Long) rs.getObject("base_run_id");
				lists.computeIfAbsent(question, q -> new ArrayList<>())
					.add(new EvidenceRun(rs.getLong("id"), rs.getString("status"), objective, rs.getString("verdict"),
							baseRun, delta, better));
			});
		lists.forEach((question, runs) -> byQuestion.put(question, runs.size() > PER_QUESTION
				? new Runs(runs.subList(0, PER_QUESTION), true) : new Runs(runs, false)));
		return byQuestion;
	}
}
