package dev.nightshift.scheduler.process;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stops every process a run started. A process group or session kill misses a grandchild that called {@code setsid}
 * itself, and a descendant walk misses one whose parent already exited, so the members of a run are the union of:
 * the descendants of its leader, the processes in the leader's session, and every process whose environment carries
 * the run's cookie ({@code NIGHTSHIFT_RUN_COOKIE}, which a child inherits and cannot drop from its own
 * {@code /proc/<pid>/environ}). This works without privileges for processes of the same user. A process that clears
 * its environment and leaves the session after its parent died still escapes; running inside a PID namespace (the
 * sandbox, or the containment every trusted run gets where bubblewrap is there) closes that gap: the namespace's init
 * is a descendant of the leader, and when it dies the kernel kills everything in the namespace. The leader itself, the wrapper, is spared so that it can record the exit status.
 */
public final class ProcessTreeKiller {

	/** The environment variable that marks every process of a run. */
	public static final String COOKIE_VARIABLE = "NIGHTSHIFT_RUN_COOKIE";

	private static final Duration POLL = Duration.ofMillis(50);
	// SIGKILL cannot be caught, but a forking program may start new members between a scan and the signals.
	private static final Duration KILL_ROUNDS_LIMIT = Duration.ofSeconds(10);

	private final long leader;
	// Taken while the leader is known to be the run's wrapper; Java's handle notices when the pid is reused later.
	private final Optional<ProcessHandle> leaderHandle;
	private final byte[] cookieEntry;
	private final long self = ProcessHandle.current().pid();

	/**
	 * @param leader the wrapper's process id, leader of the run's session; it must be the live wrapper now
	 * @param cookie the value of {@value #COOKIE_VARIABLE} given to the run
	 */
	public ProcessTreeKiller(long leader, String cookie) {
		this(leader, cookie, true);
	}

	/**
	 * As the public constructor; without {@code followDescendants} the leader's pid is not trusted to still be the
	 * wrapper (it may have ended and its number been reused), so only the session and the cookie find members.
	 */
	ProcessTreeKiller(long leader, String cookie, boolean followDescendants) {
		if (cookie == null || cookie.isBlank()) {
			throw new IllegalArgumentException("a run cookie is required");
		}
		this.leader = leader;
		this.leaderHandle = followDescendants ? ProcessHandle.of(leader) : Optional.empty();
		this.cookieEntry = (COOKIE_VARIABLE + "=" + cookie).getBytes(StandardCharsets.UTF_8);
	}

	/** The live processes of the run, the leader excepted. */
	public Set<Long> members() {
		Set<Long> members = new TreeSet<>();
		leaderHandle.filter(ProcessHandle::isAlive)
			.ifPresent(handle -> handle.descendants().forEach(d -> members.add(d.pid())));
		for (long pid : ProcFs.pids()) {
			if (pid == leader || pid == self || pid == 1 || members.contains(pid)) {
				continue;
			}
			ProcFs.stat(pid)
				.filter(stat -> stat.session() == leader || ProcFs.environmentContains(pid, cookieEntry))
				.ifPresent(stat -> members.add(pid));
		}
		members.removeIf(pid -> pid == self || !ProcFs.isRunning(pid));
		return members;
	}

	/**
	 * Sends SIGTERM, or SIGKILL when {@code force}, to every member.
	 *
	 * @return how many members there were
	 */
	public int signalMembers(boolean force) {
		Set<Long> members = members();
		for (long pid : members) {
			ProcessHandle.of(pid).ifPresent(handle -> {
				if (force) {
					handle.destroyForcibly();
				} else {
					handle.destroy();
				}
			});
		}
		return members.size();
	}

	/**
	 * Stops every member: SIGTERM, up to {@code grace} for them to exit, then SIGKILL, repeated until none is left.
	 *
	 * @return whether none is left
	 */
	public boolean killMembers(Duration grace) throws InterruptedException {
		if (signalMembers(false) == 0) {
			return true;
		}
		long graceEnd = System.nanoTime() + grace.toNanos();
		while (System.nanoTime() < graceEnd) {
			if (members().isEmpty()) {
				return true;
			}
			Thread.sleep(POLL.toMillis());
		}
		long killEnd = System.nanoTime() + KILL_ROUNDS_LIMIT.toNanos();
		while (signalMembers(true) > 0) {
			if (System.nanoTime() > killEnd) {
				return members().isEmpty();
			}
			Thread.sleep(POLL.toMillis() / 5);
		}
		return true;
	}
}
