package dev.nightshift.experiments.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightshift.experiments.loop.LoopStatus;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.question.QuestionStatus;
import dev.nightshift.experiments.run.RunStatus;
import org.junit.jupiter.api.Test;

class TransitionTableTest {

	@Test
	void illegalMoveNamesTheMachineAndBothStates() {
		assertThatThrownBy(() -> ProposalStatus.TRANSITIONS.check(ProposalStatus.VETOED, ProposalStatus.APPROVED))
			.isInstanceOfSatisfying(IllegalTransitionException.class, ex -> {
				assertThat(ex.machine()).isEqualTo("proposal");
				assertThat(ex.from()).isEqualTo("VETOED");
				assertThat(ex.to()).isEqualTo("APPROVED");
			})
			.hasMessage("A proposal cannot move from VETOED to APPROVED");
	}

	@Test
	void proposalFollowsTheSpecification() {
		var t = ProposalStatus.TRANSITIONS;
		assertThat(t.targets(ProposalStatus.PROPOSED)).containsExactlyInAnyOrder(ProposalStatus.APPROVED,
				ProposalStatus.VETOED, ProposalStatus.REJECTED);
		assertThat(t.targets(ProposalStatus.APPROVED)).containsExactlyInAnyOrder(ProposalStatus.SCHEDULED,
				ProposalStatus.WITHDRAWN);
		assertThat(t.allows(ProposalStatus.SCHEDULED, ProposalStatus.DONE)).isTrue();
		assertThat(t.isTerminal(ProposalStatus.VETOED)).isTrue();
		assertThat(t.isTerminal(ProposalStatus.REJECTED)).isTrue();
		assertThat(t.isTerminal(ProposalStatus.DONE)).isTrue();
		assertThat(t.allows(ProposalStatus.PROPOSED, ProposalStatus.SCHEDULED)).isFalse();
	}

	@Test
	void runOutcomesAreFinalAndOnlyARunningRunCanSucceed() {
		var t = RunStatus.TRANSITIONS;
		assertThat(t.targets(RunStatus.QUEUED)).containsExactlyInAnyOrder(RunStatus.STARTING, RunStatus.CANCELLED);
		for (RunStatus outcome : RunStatus.FINISHED) {
			assertThat(t.isTerminal(outcome)).as(outcome.name()).isTrue();
			assertThat(outcome.isFinished()).isTrue();
		}
		assertThat(t.allows(RunStatus.QUEUED, RunStatus.SUCCEEDED)).isFalse();
		assertThat(t.allows(RunStatus.STARTING, RunStatus.SUCCEEDED)).isFalse();
		assertThat(t.targets(RunStatus.RUNNING)).containsAll(RunStatus.FINISHED);
	}

	@Test
	void loopGoesBackAndForthBetweenRunningAndPausedUntilItEnds() {
		var t = LoopStatus.TRANSITIONS;
		assertThat(t.allows(LoopStatus.RUNNING, LoopStatus.PAUSED)).isTrue();
		assertThat(t.allows(LoopStatus.PAUSED, LoopStatus.RUNNING)).isTrue();
		assertThat(t.isTerminal(LoopStatus.STOPPED)).isTrue();
		assertThat(t.isTerminal(LoopStatus.FINISHED)).isTrue();
		assertThat(t.allows(LoopStatus.STOPPED, LoopStatus.RUNNING)).isFalse();
	}

	@Test
	void questionsCloseOnceFromOpen() {
		var t = QuestionStatus.TRANSITIONS;
		assertThat(t.targets(QuestionStatus.OPEN)).containsExactlyInAnyOrder(QuestionStatus.SUPPORTED,
				QuestionStatus.REFUTED, QuestionStatus.DEAD_END, QuestionStatus.ABANDONED);
		assertThat(t.allows(QuestionStatus.DEAD_END, QuestionStatus.OPEN)).isFalse();
		assertThat(QuestionStatus.DEAD_END.isDeadEnd()).isTrue();
		assertThat(QuestionStatus.REFUTED.isDeadEnd()).isTrue();
		assertThat(QuestionStatus.SUPPORTED.isDeadEnd()).isFalse();
	}
}
