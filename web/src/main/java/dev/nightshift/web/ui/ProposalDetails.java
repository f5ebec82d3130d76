package dev.nightshift.web.ui;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.lifecycle.StateHistory;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.proposal.ProposalTree;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.spec.ParameterSpec;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Everything the proposal page shows: the question, the change, the decision, the runs it led to, and its debug
 * tree (the crashed proposal it fixes, the fixes of its own crash).
 */
@Component
class ProposalDetails {

	private final ProposalRepository proposals;
	private final ExperimentRepository experiments;
	private final QuestionRepository questions;
	private final StateHistory history;
	private final JdbcClient jdbc;
	private final ProposalTree tree;

	ProposalDetails(ProposalRepository proposals, ExperimentRepository experiments, QuestionRepository questions,
			StateHistory history, JdbcClient jdbc, ProposalTree tree) {
		this.tree = tree;
		this.proposals = proposals;
		this.experiments = experiments;
		this.questions = questions;
		this.history = history;
		this.jdbc = jdbc;
	}

	/** A parameter the proposal sets, beside the experiment's default. */
	record Param(String name, Object value, Object defaultValue) {

		public boolean changed() {
			return defaultValue == null || !String.valueOf(value).equals(String.valueOf(defaultValue));
		}
	}

	record QuestionInfo(long id, String text, String status, String conclusion) {
	}

	/** A run of the proposal. */
	record RunRef(long id, String status, Double objective, String verdict, Instant finishedAt) {
	}

	/** What a proposer's answer cost; {@code rawAnswer} is kept only when it could not be used as it was. */
	record Answer(long tokensIn, long tokensOut, double costUsd, String rawAnswer) {

		public boolean spent() {
			return tokensIn > 0 || tokensOut > 0 || costUsd > 0;
		}
	}

	/**
	 * @param baseline   whether it is the experiment's baseline (default parameters, unmodified code)
	 * @param previousId the PROPOSED proposal of the same experiment just before this one, for {@code k}
	 * @param nextId     the one just after, for {@code j}
	 * @param parent     the proposal whose crash this one fixes, or null
	 * @param children   the fixes of this proposal's crash
	 */
	record View(long id, long experimentId, String experimentName, String status, boolean baseline, String proposer,
			String rationale, String expectedEffect, String reason, String decidedBy, Instant createdAt,
			QuestionInfo question, List<Param> params, List<DiffView.Line> diff, Answer answer,
			List<StateHistory.Entry> history, List<RunRef> runs, Long previousId, Long nextId, ProposalTree.Node parent,
			List<ProposalTree.Node> children) {

		/** Whether it belongs to a debug tree: a fix, or a crash with fixes. */
		public boolean inTree() {
			return parent != null || !children.isEmpty();
		}

		/** Whether approve and veto apply. */
		public boolean decidable() {
			return status.equals(ProposalStatus.PROPOSED.name());
		}

		/** Whether its status is about to change by itself, so the page keeps looking. */
		public boolean settling() {
			return status.equals(ProposalStatus.APPROVED.name()) || status.equals(ProposalStatus.SCHEDULED.name())
					|| runs.stream().anyMatch(run -> run.finishedAt() == null);
		}
	}

	@Transactional(readOnly = true)
	View of(ProposalId id) {
		Proposal p = proposals.require(id);
		Experiment experiment = experiments.require(p.experimentId());
		Question q = questions.findById(p.questionId().value()).orElse(null);
		Map<String, ParameterSpec> space = experiment.spec().parameters();
		List<Param> params = p.params().entrySet().stream().map(e -> {
			ParameterSpec spec = space.get(e.getKey());
			return new Param(e.getKey(), e.getValue(), spec == null ? null : spec.defaultObject());
		}).toList();
		List<RunRef> runs = jdbc.sql("select id, status, objective, verdict, finished_at from run where proposal_id = ? order by id")
			.param(id.value())
			.query((rs, row) -> new RunRef(rs.getLong("id"), rs.getString("status"), (Double) rs.getObject("objective"),
					rs.getString("verdict"), LoopBoard.instant(rs.getTimestamp("finished_at"))))
			.list();
		Long[] neighbours = jdbc.sql("""
				select (select max(id) from proposal where experiment_id = :e and status = 'PROPOSED' and id < :id) as previous,
				       (select min(id) from proposal where experiment_id = :e and status = 'PROPOSED' and id > :id) as next""")
			.param("e", p.experimentId().value())
			.param("id", id.value())
			.query((rs, row) -> new Long[] { (Long) rs.getObject("previous"), (Long) rs.getObject("next") })
			.single();
		return new View(id.value(), experiment.id().value(), experiment.name(), p.status().name(), p.isBaseline(),
				p.proposer(), p.rationale(), p.expectedEffect().orElse(null), p.statusReason().orElse(null), p.decidedBy().orElse(null),
				p.createdAt(), q == null ? null : new QuestionInfo(q.id().value(), q.text(), q.status().name(),
						q.conclusion().orElse(null)),
				params, DiffView.of(p.patch().orElse(null)),
				new Answer(p.tokensIn(), p.tokensOut(), p.costUsd(), p.rawAnswer().orElse(null)),
				history.of("PROPOSAL", id.value()), runs, neighbours[0], neighbours[1], tree.parentOf(id).orElse(null),
				tree.childrenOf(id));
	}
}
