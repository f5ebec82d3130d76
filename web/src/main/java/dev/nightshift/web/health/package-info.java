/**
 * What {@code /actuator/health} says beyond Spring Boot's own checks: DOWN when the database does not answer within
 * {@code nightshift.health.db-timeout}, and when the disk of the Nightshift home is below
 * {@code nightshift.health.min-free-disk}; both are quick to answer, so a monitor learns of the trouble at once. The
 * {@code sandbox} component says whether proposal code can be sandboxed and every run contained.
 */
package dev.nightshift.web.health;
