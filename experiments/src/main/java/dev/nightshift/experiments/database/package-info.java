/**
 * Where the data lives: {@code NIGHTSHIFT_HOME}, the lock that keeps two servers off one home, and the
 * embedded PostgreSQL that the server starts when no {@code spring.datasource.url} is configured.
 */
package dev.nightshift.experiments.database;
