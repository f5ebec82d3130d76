package dev.nightshift.agent.llm;

import dev.nightshift.agent.ResearchContext;

/**
 * Renders a research context as the text of a prompt, within a token budget. The researcher depends on this
 * seam only, so the digest's renderer can be swapped without touching the conversation with the model.
 */
@FunctionalInterface
public interface DigestText {

	/** The context as prompt text of at most about {@code tokenBudget} tokens. */
	String render(ResearchContext context, int tokenBudget);
}
