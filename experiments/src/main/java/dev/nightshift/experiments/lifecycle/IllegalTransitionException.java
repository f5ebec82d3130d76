package dev.nightshift.experiments.lifecycle;

/** A state machine was asked for a move its transition table does not allow. */
public class IllegalTransitionException extends RuntimeException {

	private final String machine;
	private final String from;
	private final String to;

	public IllegalTransitionException(String machine, String from, String to) {
		super("A " + machine + " cannot move from " + from + " to " + to);
		this.machine = machine;
		this.from = from;
		this.to = to;
	}

	public String machine() {
		return machine;
	}

	public String from() {
		return from;
	}

	public String to() {
		return to;
	}
}
