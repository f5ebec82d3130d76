package dev.nightshift.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.proposal.DecideProposal;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.proposal.SubmitProposal;
import dev.nightshift.experiments.run.MetricPoint;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.experiments.run.Verdict;
import dev.nightshift.testsupport.NightshiftIntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * A training program whose hopeless runs would train to their budget: with a {@code pruning} block the scheduler
 * stops them from their streamed curve, with a reason a person can read, and lets the others finish.
 */
@NightshiftIntegrationTest
@Import(TrainingPrograms.class)
class RunPruningTest {

	/** Good runs report 9, 8, ... 4 at steps 1 to 6 and end; at lr 0.09 a run reports 19 ... 14 and hangs on. */
	private static final String PROGRAM = """
			case "$LR" in 0.09) offset=10 ;; *) offset=0 ;; esac
			for s in 1 2 3 4 5 6; do echo "step=$s val_loss=$((offset + 10 - s))"; done
			[ "$offset" = 0 ] || sh -c 'sleep 1000; : %s'
			""";

	@Autowired
	TrainingPrograms programs;

	@Autowired
	SubmitProposal submit;

	@Autowired
	DecideProposal decide;

	@Autowired
	RunRepository runs;

	@Autowired
	ProposalRepository proposals;

	@Autowired
	MetricPoints metrics;

	@Test
	void aHopelessRunIsPrunedWithItsReasonWhileTheOthersFinish() {
		String word = "hopeless-" + UUID.randomUUID();
		Experiment experiment = programs.shellExperiment(PROGRAM.formatted(word), "2m", 0,
				"pruning: {rule: median, min_runs: 2, warmup: 3 steps}\n");
		Proposal baseline = decide.approve(submit.submitBaseline(experiment.id(), "human:test").id(), "human:test");
		List<Run> baselines = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
			.until(() -> runs.findAll().stream().filter(run -> baseline.id().equals(run.proposalId().orElse(null)))
				.toList(), found -> found.size() == 2 && found.stream().allMatch(run -> run.status().isFinished()));
		assertThat(baselines).extracting(Run::kind, Run::status)
			.containsOnly(tuple(RunKind.BASELINE, RunStatus.SUCCEEDED));

		Run hopeless = programs.finishedRunOf(programs.approve(experiment, Map.of("lr", 0.09), null));

		assertThat(hopeless.status()).isEqualTo(RunStatus.PRUNED);
		assertThat(hopeless.verdict()).contains(Verdict.DISCARD);
		assertThat(hopeless.verdictReason()).hasValueSatisfying(reason -> assertThat(reason)
			.matches("median rule: val_loss 1[4-7] at step [3-6] is worse than the median [4-7] of 2 runs"));
		assertThat(hopeless.error()).isEqualTo(hopeless.verdictReason());
		assertThat(hopeless.objective()).as("the last value of its partial curve").isPresent();
		assertThat(metrics.of(hopeless.id(), "val_loss")).extracting(MetricPoint::value).startsWith(19.0, 18.0, 17.0);
		assertThat(programs.log(hopeless.id())).contains("step=3 val_loss=17");
		assertThat(proposals.require(hopeless.proposalId().orElseThrow()).status()).isEqualTo(ProposalStatus.DONE);
		await().atMost(Duration.ofSeconds(30)).until(() -> RunProcesses.withWord(word).isEmpty());

		Run good = programs.finishedRunOf(programs.approve(experiment, Map.of("lr", 0.01), null));
		assertThat(good.status()).isEqualTo(RunStatus.SUCCEEDED);
		assertThat(good.objective()).contains(4.0);
	}
}
