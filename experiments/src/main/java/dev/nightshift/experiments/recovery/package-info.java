/**
 * What makes follow-ups survive a crash: the settings of Spring Modulith's event publication registry (every
 * follow-up of a committed fact is a row written with the fact, and resubmitted until a listener completes it)
 * and the {@link dev.nightshift.experiments.recovery.Reconciler}, which at start and on a tick finds state that a
 * lost follow-up left stuck and repairs it through the modules' {@link dev.nightshift.experiments.recovery.Repair}s.
 */
package dev.nightshift.experiments.recovery;
