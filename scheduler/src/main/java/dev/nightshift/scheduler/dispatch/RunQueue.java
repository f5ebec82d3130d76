package dev.nightshift.scheduler.dispatch;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.question.Factors;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunKind;
import dev.nightshift.experiments.run.RunRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Puts approved proposals in the queue: a QUEUED run with the full parameters (a baseline proposal: one per
 * noise replicate, at the defaults), the proposal SCHEDULED. A run records the best run it was merged onto and
 * the factors it varies against it, so that it is evidence only for a question about exactly those.
 */
@Service
public class RunQueue {

	private final ExperimentRepository experiments;
	private final ProposalRepository proposals;
	private final RunRepository runs;

	RunQueue(ExperimentRepository experiments, ProposalRepository proposals, RunRepository runs) {
		this.experiments = experiments;
		this.proposals = proposals;
		this.runs = runs;
	}

	/**
	 * Queues a run for an APPROVED proposal, in a transaction of its own (it is called after the approval
	 * committed); a proposal in any other state is left alone (it was queued
	 * already, or withdrawn meanwhile), so a repeated event does no harm.
	 */
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	public void queue(ProposalId id) {
		Proposal proposal = proposals.require(id);
		if (proposal.status() != ProposalStatus.APPROVED) {
			return;
		}
		Experiment experiment = experiments.require(proposal.experimentId());
		if (proposal.isBaseline()) {
			Map<String, Object> defaults = RunParameters.merge(experiment.spec(), Map.of(), Map.of());
			for (int i = 0; i < Math.max(1, experiment.spec().noise().replicates()); i++) {
				runs.save(Run.queue(experiment.id(), id, RunKind.BASELINE, defaults, null, List.of()));
			}
		}
		else {
			Optional<Run> best = experiment.bestRunId().flatMap(runs::findById);
			Map<String, Object> base = best.map(Run::params).orElse(Map.of());
			Map<String, Object> params = RunParameters.merge(experiment.spec(), base, proposal.params());
			runs.save(Run.queue(experiment.id(), id, RunKind.PROPOSAL, params, best.map(Run::id).orElse(null),
					Factors.varied(experiment.spec(), base, params, proposal.patch().isPresent())));
		}
		proposal.schedule("system");
		proposals.save(proposal);
	}
}
