package dev.nightshift.agent.validation;

/** Size limits on a proposal: large enough for a real idea, small enough for a person to review at breakfast. */
public final class ProposalLimits {

	/** Largest patch, in UTF-8 bytes. */
	public static final int MAX_PATCH_BYTES = 64 * 1024;

	/** Most files one patch may touch. */
	public static final int MAX_PATCH_FILES = 20;

	/** Longest rationale, in UTF-8 bytes. */
	public static final int MAX_RATIONALE_BYTES = 4 * 1024;

	/** Longest new question, in UTF-8 bytes. */
	public static final int MAX_QUESTION_BYTES = 1024;

	private ProposalLimits() {
	}
}
