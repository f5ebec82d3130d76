package dev.nightshift.experiments.proposal;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.lifecycle.IllegalTransitionException;
import dev.nightshift.experiments.question.QuestionId;
import dev.nightshift.experiments.shared.JsonMapConverter;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.springframework.data.domain.AbstractAggregateRoot;

/** A concrete change to try, tied to a research question, carrying who proposed it and why. */
@Entity
@Table(name = "proposal")
public class Proposal extends AbstractAggregateRoot<Proposal> {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private long experimentId;

	private Long questionId;

	private Long parentId;

	@Enumerated(EnumType.STRING)
	private ProposalStatus status;

	@Convert(converter = JsonMapConverter.class)
	private Map<String, Object> params;

	private String patch;

	private boolean baseline;

	private String rationale;

	private String expectedEffect;

	private String proposer;

	private String statusReason;

	private String decidedBy;

	private Instant createdAt;

	private String rawAnswer;

	private long tokensIn;

	private long tokensOut;

	private double costUsd;

	@Version
	private long version;

	protected Proposal() {
	}

	/** A new PROPOSED proposal; the content must already have been validated against the experiment. */
	public static Proposal propose(ExperimentId experiment, QuestionId question, ProposalContent content,
			String proposer) {
		Proposal proposal = new Proposal();
		proposal.experimentId = experiment.value();
		proposal.questionId = question.value();
		proposal.status = ProposalStatus.PROPOSED;
		proposal.params = new LinkedHashMap<>(content.params());
		proposal.patch = content.patch();
		proposal.rationale = content.rationale();
		proposal.expectedEffect = content.expectedEffect();
		proposal.proposer = proposer;
		proposal.createdAt = Instant.now();
		return proposal;
	}

	/**
	 * A PROPOSED baseline: the unmodified code at default parameters, to be run as many times as the
	 * experiment's noise replicates ask.
	 */
	public static Proposal baseline(ExperimentId experiment, QuestionId question, String rationale, String proposer) {
		Proposal proposal = propose(experiment, question, new ProposalContent(Map.of(), null, rationale, null), proposer);
		proposal.baseline = true;
		return proposal;
	}

	/**
	 * Makes this proposal the fix of {@code parent}, a proposal of the same experiment whose patch crashed; set
	 * once, when the fix is recorded.
	 *
	 * @throws IllegalStateException when it already fixes another proposal
	 */
	public void fixes(ProposalId parent) {
		if (parentId != null) {
			throw new IllegalStateException("proposal " + id + " already fixes proposal " + parentId);
		}
		parentId = parent.value();
	}

	/**
	 * Records what the proposer's answer cost and, when it could not be used as it was, the answer itself for
	 * review ({@code rawAnswer} may be null).
	 */
	public void recordAnswer(long tokensIn, long tokensOut, double costUsd, String rawAnswer) {
		this.tokensIn = tokensIn;
		this.tokensOut = tokensOut;
		this.costUsd = costUsd;
		this.rawAnswer = rawAnswer;
	}

	/**
	 * Clears the proposal to run. Only a PROPOSED proposal can be approved: approving it again, once APPROVED or
	 * SCHEDULED, would queue a second run, so every other status is refused even where the transition table
	 * allows the move (SCHEDULED to APPROVED is the system's re-queue of a lost run, {@link #requeue}).
	 *
	 * @throws IllegalTransitionException naming the status it is in and APPROVED when it is not PROPOSED
	 */
	public void approve(String actor) {
		if (status != ProposalStatus.PROPOSED) {
			throw new IllegalTransitionException("proposal", status.name(), ProposalStatus.APPROVED.name());
		}
		decide(ProposalStatus.APPROVED, actor, null);
	}

	/** Turns it down; the reason goes back to the proposer. */
	public void veto(String actor, String reason) {
		decide(ProposalStatus.VETOED, actor, reason);
	}

	/** Records a failed validation; the reason goes back to the proposer. */
	public void reject(String actor, String reason) {
		decide(ProposalStatus.REJECTED, actor, reason);
	}

	/** A run for it was queued. */
	public void schedule(String actor) {
		moveTo(ProposalStatus.SCHEDULED, actor, null);
	}

	/** Its run finished. */
	public void complete(String actor) {
		moveTo(ProposalStatus.DONE, actor, null);
	}

	/**
	 * Queued again after its run was lost: the system's own move, made once per proposal by crash recovery and
	 * never by a person (people can only {@link #approve} a PROPOSED proposal).
	 */
	public void requeue(String actor, String reason) {
		moveTo(ProposalStatus.APPROVED, actor, reason);
	}

	/** Taken back before it ran. */
	public void withdraw(String actor, String reason) {
		moveTo(ProposalStatus.WITHDRAWN, actor, reason);
	}

	private void decide(ProposalStatus outcome, String actor, String reason) {
		moveTo(outcome, actor, reason);
		this.decidedBy = actor;
		this.statusReason = reason;
	}

	private void moveTo(ProposalStatus target, String actor, String reason) {
		ProposalStatus from = status;
		ProposalStatus.TRANSITIONS.check(from, target);
		status = target;
		registerEvent(new ProposalStatusChanged(id(), experimentId(), from, target, actor, reason, Instant.now()));
		if (target == ProposalStatus.APPROVED) {
			registerEvent(new ProposalApproved(id(), experimentId()));
		}
	}

	// The id exists only once the row is inserted, so the first event is registered after persist.
	@PostPersist
	void proposed() {
		registerEvent(new ProposalStatusChanged(id(), experimentId(), null, status, proposer, null, createdAt));
	}

	public ProposalId id() {
		return new ProposalId(id);
	}

	public ExperimentId experimentId() {
		return new ExperimentId(experimentId);
	}

	public QuestionId questionId() {
		return new QuestionId(questionId);
	}

	/** The proposal whose crash this one fixes, for a fix made by the debug step. */
	public Optional<ProposalId> parentId() {
		return Optional.ofNullable(parentId).map(ProposalId::new);
	}

	public ProposalStatus status() {
		return status;
	}

	/** The parameter values it sets; parameters it does not name keep the base's values. */
	public Map<String, Object> params() {
		return Collections.unmodifiableMap(params);
	}

	/** Whether this is the experiment's baseline rather than a change. */
	public boolean isBaseline() {
		return baseline;
	}

	public Optional<String> patch() {
		return Optional.ofNullable(patch);
	}

	public String rationale() {
		return rationale;
	}

	public Optional<String> expectedEffect() {
		return Optional.ofNullable(expectedEffect);
	}

	public String proposer() {
		return proposer;
	}

	/** The veto or rejection reason. */
	public Optional<String> statusReason() {
		return Optional.ofNullable(statusReason);
	}

	public Optional<String> decidedBy() {
		return Optional.ofNullable(decidedBy);
	}

	public Instant createdAt() {
		return createdAt;
	}

	/** The proposer's answer as received, kept when it could not be used. */
	public Optional<String> rawAnswer() {
		return Optional.ofNullable(rawAnswer);
	}

	/** Prompt tokens spent on it; 0 for people and strategies. */
	public long tokensIn() {
		return tokensIn;
	}

	/** Answer tokens spent on it. */
	public long tokensOut() {
		return tokensOut;
	}

	/** What it cost in US dollars at the configured prices; 0 when unknown. */
	public double costUsd() {
		return costUsd;
	}
}
