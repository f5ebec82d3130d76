/**
 * What matters: how much of the variation of an experiment's objective each parameter explains, estimated from its
 * successful runs with a random forest and a functional ANOVA of the forest (as optuna-dashboard shows it). The
 * LLM's digest, the experiment page, the API and the dead-end rule all read it through
 * {@link dev.nightshift.experiments.importance.ParameterImportance}.
 */
package dev.nightshift.experiments.importance;
