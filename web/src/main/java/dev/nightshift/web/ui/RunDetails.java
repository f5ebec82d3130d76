package dev.nightshift.web.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.lifecycle.StateHistory;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.question.QuestionRepository;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.scheduler.sharedlog.SharedLogs;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Everything the run page shows but the live log and the metric curves, which the browser fetches itself. */
@Component
class RunDetails {

	private final RunRepository runs;
	private final ExperimentRepository experiments;
	private final ProposalRepository proposals;
	private final QuestionRepository questions;
	private final StateHistory history;
	private final NightshiftHome home;
	private final SharedLogs sharedLogs;

	RunDetails(RunRepository runs, ExperimentRepository experiments, ProposalRepository proposals,
			QuestionRepository questions, StateHistory history, NightshiftHome home, SharedLogs sharedLogs) {
		this.sharedLogs = sharedLogs;
		this.runs = runs;
		this.experiments = experiments;
		this.proposals = proposals;
		this.questions = questions;
		this.history = history;
		this.home = home;
	}

	/**
	 * @param finished whether it has its outcome, so its log will not grow any more
	 * @param best     whether it is the experiment's best run
	 */
	record View(long id, long experimentId, String experimentName, String metric, String goal, String kind,
			String status, boolean finished, Map<String, Object> params, Long proposalId, String question,
			String rationale, List<DiffView.Line> diff, String slot, String gpuIds, String commit, Integer exitCode,
			Double objective, Double peakMemoryMb, String verdict, String verdictReason, String error, Instant queuedAt, Instant startedAt,
			Instant finishedAt, String duration, List<StateHistory.Entry> history, boolean hasLog, boolean best) {
	}

	@Transactional(readOnly = true)
	View of(RunId id) {
		Run run = runs.require(id);
		Experiment experiment = experiments.require(run.experimentId());
		Proposal proposal = run.proposalId().flatMap(p -> proposals.findById(p.value())).orElse(null);
		String question = proposal == null ? null
				: questions.findById(proposal.questionId().value()).map(q -> q.text()).orElse(null);
		Instant end = run.finishedAt().orElse(run.status().isFinished() ? null : Instant.now());
		return new View(id.value(), experiment.id().value(), experiment.name(), experiment.spec().objective().metric(),
				experiment.spec().objective().goal().name().toLowerCase(), run.kind().name(), run.status().name(),
				run.status().isFinished(), run.params(), proposal == null ? null : proposal.id().value(), question,
				proposal == null ? null : proposal.rationale(),
				DiffView.of(proposal == null ? null : proposal.patch().orElse(null)), run.slot().orElse(null),
				run.gpuIds().orElse(null), run.commit().orElse(null), run.exitCode().orElse(null),
				run.objective().orElse(null), run.peakMemoryMb().orElse(null), run.verdict().map(Enum::name).orElse(null),
				run.verdictReason().orElse(null), run.error().orElse(null), run.queuedAt(), run.startedAt().orElse(null), run.finishedAt().orElse(null),
				Elapsed.between(run.startedAt().orElse(null), end), history.of("RUN", id.value()), Files.isRegularFile(log(id), java.nio.file.LinkOption.NOFOLLOW_LINKS)
						|| sharedLogs.has(id),
				experiment.bestRunId().map(best -> best == id.value()).orElse(false));
	}

	/** Where the run's log is: {@code NIGHTSHIFT_HOME/runs/<id>/run.log}. */
	Path log(RunId id) {
		return home.runsDirectory().resolve(Long.toString(id.value())).resolve("run.log");
	}
}
