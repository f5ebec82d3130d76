/**
 * Telemetry: what the slots and the runs on them use while they train. One {@code nvidia-smi} query for all GPUs
 * every few seconds (or, for runs without a GPU, their process tree in {@code /proc}), each sample attributed to
 * the run holding the slot; per run a running mean and peaks, written to the run now and then and at its end.
 */
package dev.nightshift.scheduler.telemetry;
