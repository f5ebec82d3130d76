/**
 * Isolation of runs with bubblewrap: the sandbox around code from proposals (the host's user nobody, no
 * capabilities, no network, a read-only file system except the run's own folders, secrets hidden, only the
 * environment the run contract gives), the containment of trusted runs in a PID namespace of their own, the
 * probe that finds at start what this machine allows, and the policy that says which runs need what.
 */
package dev.nightshift.scheduler.sandbox;
