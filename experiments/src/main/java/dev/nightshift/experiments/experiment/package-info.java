/**
 * Experiments: one research campaign on one training program, with its specification, its best run so far,
 * the use case that registers it, and the roots its source must lie under.
 */
package dev.nightshift.experiments.experiment;
