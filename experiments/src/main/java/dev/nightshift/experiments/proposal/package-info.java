/**
 * Proposals: concrete changes to try (parameter values, a code patch, or both), each tied to a question,
 * decided by a person or a policy before anything runs.
 */
package dev.nightshift.experiments.proposal;
