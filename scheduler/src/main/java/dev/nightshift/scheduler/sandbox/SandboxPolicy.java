package dev.nightshift.scheduler.sandbox;

/**
 * When a run goes into the sandbox. Any run whose commit holds code a proposal wrote does: a patched run, and
 * every later run on such a commit (a parameters-only run on a kept patch, a replicate). Only the experiment's
 * imported code, untouched, runs trusted, and even that goes into the sandbox when {@code sandboxAllRuns} is
 * set. Where the sandbox cannot start, a run that needs it is refused unless {@code required} is switched
 * off, which runs it unprotected. Trusted runs are contained (a PID namespace of their own) where bubblewrap
 * allows it, and plain processes otherwise.
 *
 * @param sandboxAllRuns sandbox runs of the imported code too
 * @param required refuse, rather than run unprotected, a run that needs the sandbox when it cannot start
 */
public record SandboxPolicy(boolean sandboxAllRuns, boolean required) {

	static final String PROPOSAL_REFUSAL = "the sandbox (bubblewrap) is not available; a run whose commit carries code "
			+ "from a proposal must run sandboxed. Install bubblewrap or set nightshift.sandbox.required=false.";

	static final String ALL_RUNS_REFUSAL = "the sandbox (bubblewrap) is not available; sandboxing of all runs is "
			+ "switched on, so every run must run sandboxed. Install bubblewrap or set nightshift.sandbox.required=false.";

	/** How a run is started. */
	public enum Isolation {

		/** Inside bubblewrap, as {@link Bubblewrap#wrap} builds it. */
		SANDBOX,

		/** Inside bubblewrap's minimal profile, {@link Bubblewrap#contain}: the server's rights, its own PID namespace. */
		CONTAINED,

		/** As a plain process of the server's user, found and killed by its session and cookie only. */
		PLAIN
	}

	/** Sandbox proposals' code only, and refuse to run it without bubblewrap. */
	public static SandboxPolicy defaults() {
		return new SandboxPolicy(false, true);
	}

	/**
	 * Decides for one run. {@link Isolation#PLAIN} for a run that needed the sandbox happens only with
	 * {@code required=false}.
	 * @param proposalCode whether the run's commit holds code a proposal wrote: its own patch, or a base or
	 * original run that did
	 * @param support what bubblewrap could do when the server started
	 * @throws SandboxUnavailableException when the run needs the sandbox, it cannot start and it is required
	 */
	public Isolation decide(boolean proposalCode, SandboxSupport support) {
		Isolation trusted = support.containment() ? Isolation.CONTAINED : Isolation.PLAIN;
		if (!proposalCode && !sandboxAllRuns) {
			return trusted;
		}
		if (support.sandbox()) {
			return Isolation.SANDBOX;
		}
		if (required) {
			throw new SandboxUnavailableException(proposalCode ? PROPOSAL_REFUSAL : ALL_RUNS_REFUSAL);
		}
		return trusted;
	}
}
