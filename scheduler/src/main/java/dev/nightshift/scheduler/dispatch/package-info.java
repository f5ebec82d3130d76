/**
 * Dispatch: an approved proposal becomes a QUEUED run; a free slot claims the oldest queued run that fits
 * (compare-and-set on the run's version, so no run starts twice) and hands it to the executor. Dispatch
 * happens at once on every approval and every finished run; a Quartz trigger in the JDBC store ticks behind
 * it in case an event was missed.
 */
package dev.nightshift.scheduler.dispatch;
