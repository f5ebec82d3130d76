package dev.nightshift.experiments.proposal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.nightshift.experiments.Specs;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.lifecycle.IllegalTransitionException;
import dev.nightshift.experiments.lifecycle.StateHistory;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
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
