/**
 * Experiments: one research campaign on one training program, with its specification, its best run so far,
 * and the use case that registers it.
 */
package dev.nightshift.experiments.experiment;
