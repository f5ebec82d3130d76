/**
 * The overnight research loop: keeps enough proposals ready that a slot which frees starts its next run at
 * once, runs the baseline first, applies the approval policy, ends the loop at its stop conditions, and answers
 * the questions their attributable evidence settles (supported, refuted, dead end), in a loop or not. Its state lives in the database; a restarted server carries on.
 */
package dev.nightshift.agent.loop;
