/**
 * Where the data lives: {@code NIGHTSHIFT_HOME}, the lock that keeps two servers off one home, and the
 * embedded PostgreSQL that the server starts when no {@code spring.datasource.url} is configured, with
 * passwords for every connection and a role for the application that is no superuser.
 */
package dev.nightshift.experiments.database;
