package dev.nightshift.web.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The database check against a real PostgreSQL of its own, frozen with SIGSTOP the way a hung database server
 * looks from outside: health says DOWN within its time-out rather than waiting on the pool, and UP again after
 * SIGCONT.
 */
class DatabaseHealthTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	@TempDir
	Path data;

	EmbeddedPostgres postgres;

	HikariDataSource pool;

	List<Long> frozen = List.of();

	@BeforeEach
	void start() throws IOException {
		postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true).start();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
		config.setUsername("postgres");
		config.setMaximumPoolSize(2);
		pool = new HikariDataSource(config);
	}

	@AfterEach
	void stop() throws IOException, InterruptedException {
		signal("-CONT", frozen);
		pool.close();
		postgres.close();
	}

	@Test
	void aDatabaseThatDoesNotAnswerIsDownWithinTheTimeOutAndUpOnceItAnswersAgain() throws Exception {
		DatabaseHealth health = new DatabaseHealth(pool, TIMEOUT);
		assertThat(health.health().getStatus()).isEqualTo(Status.UP);

		frozen = postgresProcesses();
		signal("-STOP", frozen);
		long start = System.nanoTime();
		Health down = health.health();
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		assertThat(down.getStatus()).isEqualTo(Status.DOWN);
		assertThat(down.getDetails().get("error").toString()).contains("no answer within 1000 ms");
		// Answered at its deadline, not after the pool's 30 s connection time-out.
		assertThat(took).isLessThan(TIMEOUT.plusSeconds(4));
		assertThat(health.health().getStatus()).as("while the first check still hangs").isEqualTo(Status.DOWN);

		signal("-CONT", frozen);
		frozen = List.of();
		await().atMost(Duration.ofMinutes(1)).until(() -> health.health().getStatus().equals(Status.UP));
		health.destroy();
	}

	/** The postmaster, from its pid file, and every backend and helper it started. */
	private List<Long> postgresProcesses() throws IOException {
		long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
		List<Long> pids = new ArrayList<>();
		pids.add(postmaster);
		ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(process -> pids.add(process.pid()));
		return pids;
	}

	private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
		if (pids.isEmpty()) {
			return;
		}
		List<String> command = new ArrayList<>(List.of("kill", signal));
		pids.forEach(pid -> command.add(Long.toString(pid)));
		assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).isZero();
	}
}
