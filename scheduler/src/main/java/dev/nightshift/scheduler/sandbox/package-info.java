/**
 * The sandbox around code from proposals: bubblewrap runs it as an unprivileged user with no capabilities,
 * no network, a read-only file system except the run's directory, secrets hidden and only the environment the
 * run contract gives, and a policy that says which runs need it and what to do when bubblewrap is missing.
 */
package dev.nightshift.scheduler.sandbox;
