package dev.nightshift.web.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.lifecycle.StateHistory;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.proposal.ProposalTree;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunUsage;

/** What the API shows of each aggregate; entities never leave the server as they are. */
final class Views {

	private Views() {
	}

	record ExperimentSummary(long id, String name, String objective, String goal, String createdBy,
			Instant createdAt, Long bestRunId) {

		static ExperimentSummary of(Experiment e) {
			return new ExperimentSummary(e.id().value(), e.name(), e.spec().objective().metric(),
					e.spec().objective().goal().name().toLowerCase(), e.createdBy(), e.createdAt(),
					e.bestRunId().orElse(null));
		}
	}

	record ExperimentDetail(long id, String name, String objective, String goal, String createdBy,
			Instant createdAt, RunView bestRun, LoopView loop, Map<String, Object> spec) {
	}

	/**
	 * @param stopReason        why the loop ended, or why it paused itself
	 * @param proposerFailures  the proposer's failed calls in a row (the breaker pauses the loop at its limit)
	 * @param proposerRestsUntil before this the proposer is not asked again, after failing; null when it may be
	 * @param callsInHour       calls to a model in the current hour of the hourly ceiling
	 * @param reflect           whether the proposer reflects on each finished run
	 */
	record LoopView(long id, String status, String policy, int lookahead, Instant until, Integer maxRuns,
			Double maxGpuHours, Double target, Double maxCost, Long maxTokens, String startedBy, Instant startedAt,
			Instant endedAt, String stopReason, int proposerFailures, Instant proposerRestsUntil, int callsInHour,
			String proposer, boolean reflect) {

		static LoopView of(Loop l) {
			var stop = l.stopConditions();
			return new LoopView(l.id().value(), l.status().name(), l.policy().wireName(), l.lookahead(), stop.until(),
					stop.maxRuns(), stop.maxGpuHours(), stop.target(), stop.maxCost(), stop.maxTokens(), l.startedBy(),
					l.startedAt(), l.endedAt().orElse(null), l.stopReason().orElse(null), l.proposerFailures(),
					l.proposerRestsUntil().orElse(null), l.callsInHour(), l.external() ? Loop.EXTERNAL : "configured",
					l.reflects());
		}
	}

	/** A question; {@code factors} are what its change varies, {@code kind} ONE_FACTOR or EXPLORATION. */
	record QuestionView(long id, long experimentId, Long parentId, String text, String status, String conclusion,
			List<String> factors, String kind, String createdBy, Instant createdAt, Instant closedAt) {

		static QuestionView of(Question q) {
			return new QuestionView(q.id().value(), q.experimentId().value(),
					q.parentId().map(p -> p.value()).orElse(null), q.text(), q.status().name(),
					q.conclusion().orElse(null), q.factors(), q.kind().name(), q.createdBy(), q.createdAt(),
					q.closedAt().orElse(null));
		}
	}

	/**
	 * @param parentId the proposal whose crash this one fixes (the debug step), or null
	 * @param children the fixes of this proposal's crash with their outcomes; null in listings
	 */
	record ProposalView(long id, long experimentId, long questionId, String status, Map<String, Object> params,
			String patch, String rationale, String expectedEffect, String proposer, String reason, String decidedBy,
			Instant createdAt, List<StateHistory.Entry> history, Long parentId, List<ProposalTree.Node> children) {

		static ProposalView of(Proposal p, List<StateHistory.Entry> history) {
			return of(p, history, null);
		}

		static ProposalView of(Proposal p, List<StateHistory.Entry> history, List<ProposalTree.Node> children) {
			return new ProposalView(p.id().value(), p.experimentId().value(), p.questionId().value(), p.status().name(),
					p.params(), p.patch().orElse(null), p.rationale(), p.expectedEffect().orElse(null), p.proposer(),
					p.statusReason().orElse(null), p.decidedBy().orElse(null), p.createdAt(), history,
					p.parentId().map(ProposalId::value).orElse(null), children);
		}
	}

	/**
	 * A run; {@code varied} are the factors it changed against {@code baseRunId} (the best when it was queued),
	 * null when not recorded; {@code usage} is what it used of its slot (sampled while it trains, final once it
	 * ended), null before the first sample.
	 */
	record RunView(long id, long experimentId, Long proposalId, Long replicateOf, String kind, String status,
			Map<String, Object> params, Long baseRunId, List<String> varied, String slot, String gpuIds, String commit, Integer exitCode, Double objective,
			Double peakMemoryMb, String verdict, String verdictReason, String error, Instant queuedAt, Instant startedAt,
			Instant finishedAt, List<StateHistory.Entry> history, String jobId, RunUsage usage) {

		static RunView of(Run r, List<StateHistory.Entry> history, RunUsage usage) {
			return new RunView(r.id().value(), r.experimentId().value(), r.proposalId().map(p -> p.value()).orElse(null),
					r.replicateOf().map(p -> p.value()).orElse(null), r.kind().name(), r.status().name(), r.params(),
					r.baseRunId().map(b -> b.value()).orElse(null), r.varied().orElse(null), r.slot().orElse(null), r.gpuIds().orElse(null), r.commit().orElse(null), r.exitCode().orElse(null),
					r.objective().orElse(null), r.peakMemoryMb().orElse(null), r.verdict().map(Enum::name).orElse(null),
					r.verdictReason().orElse(null), r.error().orElse(null), r.queuedAt(), r.startedAt().orElse(null),
					r.finishedAt().orElse(null), history, r.jobId().orElse(null), usage);
		}
	}
}
