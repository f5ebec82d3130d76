package dev.nightshift.scheduler.sandbox;

/**
 * What bubblewrap can do on this machine, probed once when the server starts ({@link Bubblewrap#probe()}).
 *
 * @param sandbox     whether the sandbox for proposals' code starts
 * @param containment whether the minimal profile for trusted runs (a PID namespace of their own) starts
 * @param detail      the installed version, or what is missing
 */
public record SandboxSupport(boolean sandbox, boolean containment, String detail) {
}
