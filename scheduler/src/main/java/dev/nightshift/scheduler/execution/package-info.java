/**
 * Execution of claimed runs on this machine: the workspace (a commit of base plus patch), the run contract's
 * environment, the sandbox decision, the supervised process, the metric points as they arrive, the outcome;
 * and, at start, the reconciliation of runs that a crashed server left behind.
 */
package dev.nightshift.scheduler.execution;
