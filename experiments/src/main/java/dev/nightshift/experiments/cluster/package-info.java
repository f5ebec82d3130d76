/**
 * Several servers on one database: each server's identity ({@link dev.nightshift.experiments.cluster.ServerIdentity},
 * kept in its home), its heartbeat in the {@code server} table, and the settings that say when a silent server is
 * dead and how long a loop's lease lasts ({@link dev.nightshift.experiments.cluster.ClusterProperties}).
 */
package dev.nightshift.experiments.cluster;
