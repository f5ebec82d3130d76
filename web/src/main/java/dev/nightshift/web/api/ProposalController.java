package dev.nightshift.web.api;

import java.net.URI;
import java.security.Principal;
import java.util.Map;
import java.util.Set;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Usage;
import dev.nightshift.agent.validation.ProposalIntake;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.lifecycle.StateHistory;
import dev.nightshift.experiments.proposal.DecideProposal;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.proposal.ProposalRepository;
import dev.nightshift.experiments.proposal.ProposalStatus;
import dev.nightshift.experiments.proposal.ProposalTree;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Proposals: a person's own, the listing with its status filter, one with its debug tree (the proposal it fixes and
 * its fixes), and the approve and veto decisions.
 */
@RestController
class ProposalController {

	private final ProposalIntake intake;
	private final DecideProposal decide;
	private final ProposalRepository proposals;
	private final ExperimentRepository experiments;
	private final StateHistory history;
	private final ProposalTree tree;

	ProposalController(ProposalIntake intake, DecideProposal decide, ProposalRepository proposals,
			ExperimentRepository experiments, StateHistory history, ProposalTree tree) {
		this.tree = tree;
		this.intake = intake;
		this.decide = decide;
		this.proposals = proposals;
		this.experiments = experiments;
		this.history = history;
	}

	/** A person's proposal: {@code question} is the question in words, or {@code questionId} an open one. */
	record NewProposal(Map<String, Object> params, String patch, String rationale, String expectedEffect,
			String question, Long questionId) {
	}

	record Veto(String reason) {
	}

	@PostMapping("/api/experiments/{id}/proposals")
	ResponseEntity<Views.ProposalView> create(@PathVariable long id, @RequestBody NewProposal request, Principal user) {
		// The same validation as every proposer's: one way in.
		Proposal proposal = intake.submit(new ExperimentId(id), "human:" + user.getName(),
				ProposalDraft.of(request.questionId(), request.question(), request.params(), request.patch(),
						request.rationale(), request.expectedEffect(), Usage.NONE));
		return ResponseEntity.created(URI.create("/api/proposals/" + proposal.id())).body(view(proposal));
	}

	/** Newest first, paged; {@code status} filters on one status. */
	@GetMapping("/api/experiments/{id}/proposals")
	@Transactional(readOnly = true)
	PageView<Views.ProposalView> list(@PathVariable long id, @RequestParam(required = false) String status,
			@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
		experiments.require(new ExperimentId(id));
		Pageable pageable = Paging.pageable(page, size, null, Set.of(), Sort.by(Sort.Order.desc("id")));
		var statuses = Paging.statuses(status, ProposalStatus.class);
		Page<Proposal> found = statuses.isEmpty() ? proposals.findByExperimentId(id, pageable)
				: proposals.findByExperimentIdAndStatusIn(id, statuses, pageable);
		return PageView.of(found, p -> Views.ProposalView.of(p, null));
	}

	@GetMapping("/api/proposals/{id}")
	@Transactional(readOnly = true)
	Views.ProposalView get(@PathVariable long id) {
		return view(proposals.require(new ProposalId(id)));
	}

	@PostMapping("/api/proposals/{id}/approve")
	Views.ProposalView approve(@PathVariable long id, Principal user) {
		return view(decide.approve(new ProposalId(id), "human:" + user.getName()));
	}

	@PostMapping("/api/proposals/{id}/veto")
	Views.ProposalView veto(@PathVariable long id, @RequestBody(required = false) Veto request, Principal user) {
		return view(decide.veto(new ProposalId(id), "human:" + user.getName(), request == null ? null : request.reason()));
	}

	private Views.ProposalView view(Proposal proposal) {
		return Views.ProposalView.of(proposal, history.of("PROPOSAL", proposal.id().value()),
				tree.childrenOf(proposal.id()));
	}
}
