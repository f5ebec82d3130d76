package dev.nightshift.experiments.lifecycle;

import java.time.Instant;

/**
 * Published on every move of every state machine, and on the first state of a new aggregate (then
 * {@link #from()} is null). The history recorder appends each one to {@code state_change}; other modules
 * listen for the concrete records ({@code ProposalStatusChanged}, {@code RunStatusChanged}, ...).
 */
public interface StatusChanged {

	/** The machine's name: {@code PROPOSAL}, {@code RUN}, {@code QUESTION} or {@code LOOP}. */
	String aggregate();

	long aggregateId();

	Enum<?> from();

	Enum<?> to();

	String actor();

	/** Why, when someone said: a veto reason, a rejection reason, a stop reason. */
	String reason();

	Instant at();
}
