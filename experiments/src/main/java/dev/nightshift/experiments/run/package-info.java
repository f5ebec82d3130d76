/**
 * Runs: executions of approved proposals, baselines and replicates, with their outcome, objective value,
 * metric points and verdict.
 */
package dev.nightshift.experiments.run;
