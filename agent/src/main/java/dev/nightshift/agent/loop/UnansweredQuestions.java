package dev.nightshift.agent.loop;

import java.util.List;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.recovery.Repair;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Open questions whose evidence may answer them, as a crash or a lost listener would leave them (a kept run's
 * question still OPEN): every experiment with an open question that has a finished run is answered again by
 * {@link QuestionAnswers}, which closes only what its evidence settles.
 */
@Component
class UnansweredQuestions implements Repair {

	private final JdbcClient jdbc;
	private final QuestionAnswers answers;

	UnansweredQuestions(JdbcClient jdbc, QuestionAnswers answers) {
		this.jdbc = jdbc;
		this.answers = answers;
	}

	@Override
	public String name() {
		return "open questions their evidence answers";
	}

	@Override
	public int repair() {
		List<Long> experiments = jdbc.sql("""
				select distinct q.experiment_id from question q
				join proposal p on p.question_id = q.id
				join run r on r.proposal_id = p.id and r.kind = 'PROPOSAL' and r.finished_at is not null
				where q.status = 'OPEN' order by 1""")
			.query(Long.class)
			.list();
		int closed = 0;
		for (long experiment : experiments) {
			closed += answers.close(new ExperimentId(experiment));
		}
		return closed;
	}
}
