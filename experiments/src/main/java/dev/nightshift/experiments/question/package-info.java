/**
 * Research questions: the hypotheses proposals are tied to, tree-shaped, closed with a conclusion. A question
 * closed as DEAD_END or REFUTED is a dead end that every proposer is shown.
 */
package dev.nightshift.experiments.question;
