package dev.nightshift.experiments.proposal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.Specs;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.lifecycle.IllegalTransitionException;
import dev.nightshift.experiments.lifecycle.StateHistory;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.transaction.support.TransactionTemplate;

@NightshiftIntegrationTest
@RecordApplicationEvents
class ProposalLifecycleTest {

	@Autowired
	RegisterExperiment register;

	@Autowired
	SubmitProposal submit;

	@Autowired
	DecideProposal decide;

	@Autowired
	ProposalRepository proposals;

	@Autowired
	QuestionRepository questions;

	@Autowired
	RunRepository runs;

	@Autowired
	StateHistory history;

	@Autowired
	EntityManager entityManager;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	ApplicationEvents events;

	Experiment experiment;

	@BeforeEach
	void registerExperiment() {
		experiment = register.register(Specs.microGpt(), "human:test");
	}

	@Test
	void approvedProposalIsStoredWithItsHistoryAndEvents() {
		Proposal proposal = submit.submit(command(Map.of("lr", 0.01, "n_embd", 32), "Does a higher lr help?"));
		decide.approve(proposal.id(), "human:alice");

		Proposal stored = transactions.execute(status -> {
			entityManager.clear();
			return proposals.require(proposal.id());
		});
		assertThat(stored.status()).isEqualTo(ProposalStatus.APPROVED);
		assertThat(stored.decidedBy()).contains("human:alice");
		assertThat(stored.params()).containsEntry("lr", 0.01).containsEntry("n_embd", 32);
		assertThat(history.of("PROPOSAL", proposal.id().value())).extracting(StateHistory.Entry::from,
				StateHistory.Entry::to, StateHistory.Entry::actor)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(null, "PROPOSED", "human:test"),
					org.assertj.core.groups.Tuple.tuple("PROPOSED", "APPROVED", "human:alice"));
		assertThat(events.stream(ProposalStatusChanged.class).filter(e -> e.proposalId().equals(proposal.id())))
			.extracting(ProposalStatusChanged::to)
			.containsExactly(ProposalStatus.PROPOSED, ProposalStatus.APPROVED);
	}

	@Test
	void vetoKeepsItsReasonAndAVetoedProposalCannotBeApproved() {
		Proposal proposal = submit.submit(command(Map.of("act", "relu"), "Is relu better than tanh?"));
		decide.veto(proposal.id(), "human:bob", "relu was tried last week");

		assertThatThrownBy(() -> decide.approve(proposal.id(), "human:alice"))
			.isInstanceOf(IllegalTransitionException.class)
			.hasMessage("A proposal cannot move from VETOED to APPROVED");
		assertThat(proposals.require(proposal.id()).statusReason()).contains("relu was tried last week");
		assertThat(history.of("PROPOSAL", proposal.id().value())).last()
			.satisfies(entry -> assertThat(entry.reason()).isEqualTo("relu was tried last week"));
	}

	@Test
	void onlyAProposedProposalCanBeApprovedWhileTheSystemMayStillRequeueALostOne() {
		Proposal proposal = submit.submit(command(Map.of("lr", 0.02), "Is 0.02 better?"));
		decide.approve(proposal.id(), "human:alice");
		assertThatThrownBy(() -> decide.approve(proposal.id(), "human:alice"))
			.isInstanceOf(IllegalTransitionException.class)
			.hasMessage("A proposal cannot move from APPROVED to APPROVED");

		Proposal scheduled = transactions.execute(status -> {
			Proposal p = proposals.require(proposal.id());
			p.schedule("system");
			return proposals.save(p);
		});
		assertThatThrownBy(() -> decide.approve(scheduled.id(), "human:alice"))
			.isInstanceOf(IllegalTransitionException.class)
			.hasMessage("A proposal cannot move from SCHEDULED to APPROVED");

		transactions.executeWithoutResult(status -> {
			Proposal p = proposals.require(proposal.id());
			p.requeue("system", "run 1 was lost");
			proposals.save(p);
		});
		assertThat(proposals.require(proposal.id()).status()).isEqualTo(ProposalStatus.APPROVED);
	}

	@Test
	void theDatabaseRefusesASecondProposalRunButNotOneAfterALostRunNorReplicates() {
		Proposal proposal = submit.submit(command(Map.of("lr", 0.015), "Is 0.015 better?"));
		Run first = runs.saveAndFlush(Run.queue(experiment.id(), proposal.id(), RunKind.PROPOSAL, Map.of("lr", 0.015)));

		assertThatThrownBy(() -> runs.saveAndFlush(Run.queue(experiment.id(), proposal.id(), RunKind.PROPOSAL, Map.of())))
			.isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining("run_one_per_proposal");
		runs.saveAndFlush(Run.replicate(first));

		transactions.executeWithoutResult(status -> {
			Run lost = runs.require(first.id());
			lost.claim("cpu-0", null, "system");
			lost.finish(RunStatus.LOST, null, null, null, "the server crashed", "system");
			runs.save(lost);
		});
		Run again = runs.saveAndFlush(Run.queue(experiment.id(), proposal.id(), RunKind.PROPOSAL, Map.of("lr", 0.015)));
		assertThat(runs.countByProposalIdAndStatusIn(proposal.id().value(), List.of(RunStatus.QUEUED))).isEqualTo(2);
		assertThat(again.id()).isNotEqualTo(first.id());
	}

	@Test
	void vetoWithoutAReasonIsRefused() {
		Proposal proposal = submit.submit(command(Map.of("lr", 0.001), "Lower lr?"));
		assertThatThrownBy(() -> decide.veto(proposal.id(), "human:bob", "  "))
			.isInstanceOf(InvalidRequestException.class)
			.hasMessageContaining("reason");
		assertThat(proposals.require(proposal.id()).status()).isEqualTo(ProposalStatus.PROPOSED);
	}

	@Test
	void parametersOutsideTheSpaceAreAllNamed() {
		assertThatThrownBy(() -> submit.submit(command(Map.of("lr", 5.0, "n_embd", 8.5, "depth", 3), "Bigger?")))
			.isInstanceOfSatisfying(InvalidRequestException.class, ex -> assertThat(ex.violations())
				.extracting(v -> v.field() + " " + v.rule())
				.containsExactlyInAnyOrder("params.lr out-of-range", "params.n_embd type", "params.depth unknown-parameter"));
	}

	@Test
	void proposalsAskingTheSameQuestionShareIt() {
		Proposal first = submit.submit(command(Map.of("lr", 0.01), "Does a higher lr help?"));
		Proposal second = submit.submit(command(Map.of("lr", 0.02), "  Does a higher lr help?  "));
		assertThat(second.questionId()).isEqualTo(first.questionId());
		assertThat(questions.require(first.questionId()).status()).isEqualTo(QuestionStatus.OPEN);
	}

	private SubmitProposal.Command command(Map<String, Object> params, String question) {
		return new SubmitProposal.Command(experiment.id(), null, question,
				new ProposalContent(params, null, "worth a try", null), "human:test");
	}
}
