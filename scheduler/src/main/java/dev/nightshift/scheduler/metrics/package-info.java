/**
 * Reading metrics out of what a training program prints (SPEC section 3): {@link
 * dev.nightshift.scheduler.metrics.MetricLineParser} recognises {@code name: value} lines, Katib-style {@code
 * name=value} pairs and JSON objects; {@link dev.nightshift.scheduler.metrics.LineSplitter} and {@link
 * dev.nightshift.scheduler.metrics.FileTail} turn a growing file into lines with bounded memory whatever the program
 * prints; {@link dev.nightshift.scheduler.metrics.MetricsFileTailer} follows the optional {@code NIGHTSHIFT_METRICS}
 * file; {@link dev.nightshift.scheduler.metrics.ObjectiveTracker} remembers the last value of the objective. Plain
 * classes without Spring, so that the executors can use them from their own threads.
 */
package dev.nightshift.scheduler.metrics;
