/** Slots: one per GPU that {@code nvidia-smi} reports, or a configured number of CPU slots. */
package dev.nightshift.scheduler.slot;
