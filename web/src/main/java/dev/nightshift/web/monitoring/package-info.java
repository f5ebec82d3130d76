/**
 * The domain's numbers on {@code /actuator/prometheus}: counters and timers moved by the domain events where they
 * happen (runs finished, verdicts, rejections, model calls), gauges of the database's state read in a few grouped
 * queries every {@value dev.nightshift.web.monitoring.DatabaseGauges#REFRESH_SECONDS} s (runs, queue, proposals,
 * loops), and the slots' load from the telemetry. Labels are bounded: experiment names, statuses, rules, models,
 * slots; never a run or proposal id.
 */
package dev.nightshift.web.monitoring;
