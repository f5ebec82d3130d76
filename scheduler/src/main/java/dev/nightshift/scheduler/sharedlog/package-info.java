/**
 * Every run's log, readable by every server on the database: the server running a run ships the end of its
 * {@code run.log} to the {@code run_log_tail} table ({@link dev.nightshift.scheduler.sharedlog.LogShipper}), and the
 * API and the browser read a log that is not in this server's home from there
 * ({@link dev.nightshift.scheduler.sharedlog.SharedLogs}).
 */
package dev.nightshift.scheduler.sharedlog;
