/**
 * Launching and supervising one training process on this machine (SPEC sections 3 and 7), so that it survives a
 * server crash and its outcome can still be read afterwards. {@link dev.nightshift.scheduler.process.RunSupervisor}
 * starts the command through a small {@code sh} wrapper written into the run directory, which detaches it into its own
 * session and leaves {@code pid}, {@code run.log} and {@code exit} behind; the server tails the log instead of holding
 * a pipe. {@link dev.nightshift.scheduler.process.SupervisedRun} follows one run: live metrics, the time budget,
 * cancellation, the result. {@link dev.nightshift.scheduler.process.ProcessTreeKiller} stops everything a run
 * started, including grandchildren that left its session, and {@link
 * dev.nightshift.scheduler.process.Outcomes} turns a {@link dev.nightshift.scheduler.process.ProcessResult} into a run
 * status. Plain classes without Spring; the scheduler wires them.
 */
package dev.nightshift.scheduler.process;
