/**
 * Research questions: the hypotheses proposals are tied to, tree-shaped, closed with a conclusion. A question
 * names the factors its change varies ({@link dev.nightshift.experiments.question.Factors}) and so its kind, one
 * factor or an exploration; only runs that varied exactly those factors are evidence about it. A question closed
 * as DEAD_END or REFUTED is a dead end that every proposer is shown.
 */
package dev.nightshift.experiments.question;
