/**
 * Validation of proposals before anyone sees them (SPEC section 5), and the intake that records every draft of
 * every proposer: a valid one as PROPOSED, an invalid one or an agent error as REJECTED with its reason, which
 * reaches the proposer again through the research context's vetoes.
 */
package dev.nightshift.agent.validation;
