/**
 * The scheduler: turns approved proposals into runs, gives each run a slot (a GPU, or a CPU slot where there
 * is none), executes it under the run contract, records what came of it, and reconciles runs after a crash.
 */
package dev.nightshift.scheduler;
