package dev.nightshift.agent.loop;

import java.util.List;
import java.util.Locale;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionId;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Closes, without any LLM, the open questions that led nowhere: {@code deadEndRuns} finished runs, none of them
 * kept or still being confirmed, none waiting. The conclusion sums up the evidence, so every later proposer reads
 * why it was closed.
 */
@Component
class DeadEnds {

	private final JdbcClient jdbc;
	private final QuestionRepository questions;
	private final LoopProperties properties;

	DeadEnds(JdbcClient jdbc, QuestionRepository questions, LoopProperties properties) {
		this.jdbc = jdbc;
		this.questions = questions;
		this.properties = properties;
	}

	private record Evidence(long questionId, int runs, int failed, Double bestDelta, String verdicts) {
	}

	/** Closes every open question of the experiment that has become a dead end; returns how many. */
	@Transactional
	public int close(ExperimentId experiment) {
		List<Evidence> candidates = jdbc.sql("""
				select q.id,
				       count(r.id) as runs,
				       count(r.id) filter (where r.status <> 'SUCCEEDED') as failed,
				       string_agg(coalesce(r.verdict, r.status), ', ' order by r.id) as verdicts
				from question q
				join proposal p on p.question_id = q.id
				join run r on r.proposal_id = p.id and r.kind = 'PROPOSAL'
				where q.experiment_id = :e and q.status = 'OPEN'
				group by q.id
				having count(r.id) >= :n
				   and count(r.id) filter (where r.verdict in ('KEEP', 'CONFIRMING')) = 0
				   and count(r.id) filter (where r.status in ('QUEUED', 'STARTING', 'RUNNING')) = 0
				   and not exists (select 1 from proposal w where w.question_id = q.id and w.status in ('PROPOSED', 'APPROVED'))
				""")
			.param("e", experiment.value())
			.param("n", properties.deadEndRuns())
			.query((rs, row) -> new Evidence(rs.getLong("id"), rs.getInt("runs"), rs.getInt("failed"), null,
					rs.getString("verdicts")))
			.list();
		for (Evidence evidence : candidates) {
			Question question = questions.require(new QuestionId(evidence.questionId()));
			question.close(QuestionStatus.DEAD_END, conclusion(evidence), "system");
			questions.save(question);
		}
		return candidates.size();
	}

	private static String conclusion(Evidence evidence) {
		return String.format(Locale.ROOT, "%d runs, none better than the best beyond noise%s (outcomes: %s)",
				evidence.runs(), evidence.failed() > 0 ? ", " + evidence.failed() + " of them failed" : "",
				evidence.verdicts().toLowerCase(Locale.ROOT));
	}
}
