package dev.nightshift.experiments.lifecycle;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The only place where a state machine's legal moves are written down. Aggregates ask it before every move.
 *
 * @param <S> the status enum of the machine
 */
public final class TransitionTable<S extends Enum<S>> {

	private final String machine;
	private final Map<S, Set<S>> moves;

	private TransitionTable(String machine, Map<S, Set<S>> moves) {
		this.machine = machine;
		this.moves = moves;
	}

	/** Starts a table for the machine called {@code machine} (used in error messages). */
	public static <S extends Enum<S>> Builder<S> of(String machine, Class<S> statusType) {
		return new Builder<>(machine, statusType);
	}

	/** Whether a machine in {@code from} may move to {@code to}. */
	public boolean allows(S from, S to) {
		return moves.get(from).contains(to);
	}

	/**
	 * Checks a move.
	 * @throws IllegalTransitionException naming the machine, {@code from} and {@code to} when it is not allowed
	 */
	public void check(S from, S to) {
		if (!allows(from, to)) {
			throw new IllegalTransitionException(machine, from.name(), to.name());
		}
	}

	/** The states reachable in one move from {@code from}. */
	public Set<S> targets(S from) {
		return Collections.unmodifiableSet(moves.get(from));
	}

	/** A state with no way out. */
	public boolean isTerminal(S state) {
		return moves.get(state).isEmpty();
	}

	public String machine() {
		return machine;
	}

	/** Collects the moves of one table. */
	public static final class Builder<S extends Enum<S>> {

		private final String machine;
		private final Class<S> statusType;
		private final Map<S, Set<S>> moves;

		private Builder(String machine, Class<S> statusType) {
			this.machine = machine;
			this.statusType = statusType;
			this.moves = new EnumMap<>(statusType);
			for (S state : statusType.getEnumConstants()) {
				moves.put(state, EnumSet.noneOf(statusType));
			}
		}

		@SafeVarargs
		public final Builder<S> allow(S from, S... to) {
			moves.get(from).addAll(Set.of(to));
			return this;
		}

		public TransitionTable<S> build() {
			Map<S, Set<S>> frozen = new EnumMap<>(statusType);
			moves.forEach((from, to) -> frozen.put(from, Collections.unmodifiableSet(EnumSet.copyOf(to.isEmpty()
					? EnumSet.noneOf(statusType) : to))));
			return new TransitionTable<>(machine, Collections.unmodifiableMap(frozen));
		}
	}
}
