package dev.nightshift.scheduler.sandbox;

/**
 * When a run goes into the sandbox. Code from a proposal's patch always does; the experiment's own code (a
 * parameters-only run) does when {@code sandboxAllRuns} is set. Where bubblewrap is missing, a run that needs
 * the sandbox is refused unless {@code required} is switched off, which runs it unprotected.
 *
 * @param sandboxAllRuns sandbox runs without a patch too
 * @param required refuse, rather than run unprotected, a run that needs the sandbox when bubblewrap is missing
 */
public record SandboxPolicy(boolean sandboxAllRuns, boolean required) {

	static final String PATCH_REFUSAL = "bubblewrap (bwrap) is not installed; a run whose proposal carries a patch "
			+ "must run sandboxed. Install bubblewrap or set nightshift.sandbox.required=false.";

	static final String ALL_RUNS_REFUSAL = "bubblewrap (bwrap) is not installed; sandboxing of all runs is switched "
			+ "on, so every run must run sandboxed. Install bubblewrap or set nightshift.sandbox.required=false.";

	/** How a run is started. */
	public enum Isolation {

		/** Inside bubblewrap, as {@link Bubblewrap#wrap} builds it. */
		SANDBOX,

		/** As a plain process of the server's user. */
		PLAIN
	}

	/** Sandbox proposals' code only, and refuse to run it without bubblewrap. */
	public static SandboxPolicy defaults() {
		return new SandboxPolicy(false, true);
	}

	/**
	 * Decides for one run. {@link Isolation#PLAIN} for a run that needed the sandbox happens only with
	 * {@code required=false}, and is worth a warning in the run's log.
	 * @param hasPatch whether the run's proposal carries a code patch
	 * @param bubblewrapAvailable what {@link Bubblewrap#available()} said
	 * @throws SandboxUnavailableException when the run needs the sandbox, bubblewrap is missing and it is required
	 */
	public Isolation decide(boolean hasPatch, boolean bubblewrapAvailable) {
		if (!hasPatch && !sandboxAllRuns) {
			return Isolation.PLAIN;
		}
		if (bubblewrapAvailable) {
			return Isolation.SANDBOX;
		}
		if (required) {
			throw new SandboxUnavailableException(hasPatch ? PATCH_REFUSAL : ALL_RUNS_REFUSAL);
		}
		return Isolation.PLAIN;
	}
}
