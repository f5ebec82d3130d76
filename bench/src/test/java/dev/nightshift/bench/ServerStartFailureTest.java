package dev.nightshift.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The real jar whose start fails (here: its port is taken) exits with a failure status instead of staying alive
 * on a thread a library left behind, so that whatever supervises it sees it dead.
 */
class ServerStartFailureTest {

	private static final Path JAR = Path.of(System.getProperty("nightshift.jar", "../web/target/nightshift.jar"));

	@Test
	void aServerWhosePortIsTakenExitsWithStatusOneAndSaysWhy() throws Exception {
		assertThat(JAR).as("the server jar (./mvnw package builds it)").isRegularFile();
		Path home = Files.createTempDirectory("nightshift-failed-start-");
		Path log = home.resolve("server.log");
		try (BenchDatabase postgres = BenchDatabase.start();
				ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(),
					"--server.port=" + taken.getLocalPort(), "--server.address=127.0.0.1",
					"--nightshift.home=" + home.resolve("home"),
					"--spring.datasource.url=" + postgres.create("failed_start"),
					"--spring.datasource.username=postgres", "--nightshift.demo.enabled=false",
					"--spring.main.banner-mode=off");
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile());
			builder.environment().put("NIGHTSHIFT_ADMIN_PASSWORD", "failed-start-password");
			Process server = builder.start();
			try {
				await("the server to exit after its failed start").atMost(Duration.ofMinutes(5))
					.pollInterval(Duration.ofMillis(500))
					.until(() -> !server.isAlive());
				assertThat(server.exitValue()).isEqualTo(1);
				assertThat(Files.readString(log)).contains("APPLICATION FAILED TO START")
					.contains(String.valueOf(taken.getLocalPort()));
			}
			finally {
				server.destroyForcibly();
			}
		}
		finally {
			FileSystemUtils.deleteRecursively(home);
		}
	}
}
