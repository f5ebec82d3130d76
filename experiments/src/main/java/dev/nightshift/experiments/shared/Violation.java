package dev.nightshift.experiments.shared;

/**
 * One broken rule in a request.
 *
 * @param field dotted path of the offending field, e.g. {@code params.lr}
 * @param rule  short name of the rule, e.g. {@code out-of-range}
 * @param message what is wrong, for a person
 */
public record Violation(String field, String rule, String message) {
}
