/**
 * The Slurm executor: runs of experiments with {@code executor: slurm} (or of every experiment, with
 * {@code nightshift.executor=slurm}) become one {@code sbatch} job each, followed with one batched {@code squeue}
 * call per tick and cancelled with {@code scancel}. The run directory and the wrapper are those of local runs, on a
 * file system the nodes share, so logs, metrics and outcomes are read the same way.
 */
package dev.nightshift.scheduler.slurm;
