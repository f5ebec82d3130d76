package dev.nightshift.scheduler.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTreeKillerTest {

	@TempDir
	Path dir;

	private final String cookie = UUID.randomUUID().toString();
	private final String entry = ProcessTreeKiller.COOKIE_VARIABLE + "=" + cookie;
	private Process leader;

	@AfterEach
	void leaveNothingBehind() {
		LiveProcesses.withEnvironmentEntry(entry)
			.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
		if (leader != null) {
			leader.destroyForcibly();
		}
	}

	// Keeps the leader waiting without a child process of its own: a read from a FIFO that nobody writes to.
	private static final String HOLD = """
            mkfifo hold && exec 3<>hold && read -r -u 3
            """;

	/** Starts {@code body} under setsid, as the wrapper is, with the cookie in its environment. */
	private Process startLeader(String body) throws IOException {
		Path script = Files.writeString(dir.resolve("tree.sh"), body);
		ProcessBuilder builder = new ProcessBuilder("setsid", "bash", script.toString())
			.directory(dir.toFile())
			.redirectOutput(dir.resolve("out.log").toFile())
			.redirectErrorStream(true)
			.redirectInput(new File("/dev/null"));
		builder.environment().put(ProcessTreeKiller.COOKIE_VARIABLE, cookie);
		leader = builder.start();
		return leader;
	}

	@Test
	void killsAChildAndAGrandchildThatLeftTheSessionButSparesTheLeader() throws Exception {
		Process leader = startLeader("""
                ( setsid sleep 1000 & )
                sleep 1000 &
                """ + HOLD);
		// The leader, the plain child and the orphaned grandchild in a session of its own.
		await().atMost(Duration.ofSeconds(30)).until(() -> LiveProcesses.withEnvironmentEntry(entry).size() == 3);
		List<Long> before = LiveProcesses.withEnvironmentEntry(entry);
		assertThat(LiveProcesses.sessionsOf(before)).as("one process left the leader's session")
			.anyMatch(session -> session != leader.pid());

		ProcessTreeKiller killer = new ProcessTreeKiller(leader.pid(), cookie);
		assertThat(killer.members()).containsAll(before.stream().filter(pid -> pid != leader.pid()).toList());
		assertThat(killer.killMembers(Duration.ofSeconds(5))).isTrue();

		assertThat(LiveProcesses.withEnvironmentEntry(entry)).containsExactly(leader.pid());
		assertThat(killer.members()).isEmpty();
	}

	@Test
	void killsAMemberThatIgnoresSigtermOnceTheGracePeriodIsOver() throws Exception {
		Process leader = startLeader("""
                bash -c 'trap "" TERM; echo ready; while true; do sleep 1; done' &
                """ + HOLD);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Files.readString(dir.resolve("out.log")).contains("ready"));
		ProcessTreeKiller killer = new ProcessTreeKiller(leader.pid(), cookie);

		assertThat(killer.killMembers(Duration.ofMillis(500))).isTrue();

		assertThat(LiveProcesses.withEnvironmentEntry(entry)).containsExactly(leader.pid());
	}

	@Test
	void findsMembersByCookieAfterTheLeaderHasEnded() throws Exception {
		Process leader = startLeader("""
                ( setsid sleep 1000 & )
                """);
		leader.waitFor();
		await().atMost(Duration.ofSeconds(30)).until(() -> LiveProcesses.withEnvironmentEntry(entry).size() == 1);

		assertThat(new ProcessTreeKiller(leader.pid(), cookie).killMembers(Duration.ofSeconds(5))).isTrue();

		assertThat(LiveProcesses.withEnvironmentEntry(entry)).isEmpty();
	}
}
