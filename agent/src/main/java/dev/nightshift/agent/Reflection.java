package dev.nightshift.agent;

/**
 * What a finished run taught about its question.
 *
 * @param questionId the question
 * @param status     OPEN (keep studying), SUPPORTED, REFUTED, DEAD_END or ABANDONED
 * @param conclusion one or two sentences, kept with the question and shown to every later proposer
 * @param usage      tokens and cost of the reflection
 */
public record Reflection(long questionId, String status, String conclusion, Usage usage) {
}
