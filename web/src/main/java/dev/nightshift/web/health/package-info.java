/**
 * Health contributions of the application's own parts to {@code /actuator/health}, beside Spring Boot's
 * (database, disk space).
 */
package dev.nightshift.web.health;
