/**
 * Free space under the Nightshift home: the dispatcher holds new runs while it is below
 * {@code nightshift.health.min-free-disk}, and the server's health says DOWN, because a run started on a full disk
 * loses its log, its metrics and the record of its end.
 */
package dev.nightshift.scheduler.disk;
