/**
 * Stopping hopeless runs early from the metric points they already stream (issue 15). {@link
 * dev.nightshift.scheduler.pruning.MedianStoppingRule} and {@link dev.nightshift.scheduler.pruning.AshaRule} are
 * plain decisions over {@link dev.nightshift.scheduler.pruning.Curve}s, with no Spring and no database, so that the
 * live scheduler and the pruning benchmark judge runs the same way. {@link
 * dev.nightshift.scheduler.pruning.LivePruning} applies an experiment's rule to its runs as their points arrive.
 */
package dev.nightshift.scheduler.pruning;
