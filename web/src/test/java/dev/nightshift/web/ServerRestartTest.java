package dev.nightshift.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import dev.nightshift.NightshiftApplication;
import dev.nightshift.experiments.database.HomeInUseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The server as a user starts it: no database configured, so the embedded PostgreSQL with its data under
 * {@code NIGHTSHIFT_HOME}; spoken to over real HTTP.
 */
class ServerRestartTest {

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path home;

	@Test
	void registeredExperimentSurvivesARestartAndASecondServerOnTheSameHomeIsRefused() throws Exception {
		String yaml = Yaml.microGpt();
		String name = yaml.lines().findFirst().orElseThrow().substring("name: ".length());
		try (ConfigurableApplicationContext first = start()) {
			HttpResponse<String> created = send(first, HttpRequest.newBuilder()
				.uri(uri(first, "/api/experiments"))
				.header("Content-Type", "application/yaml")
				.POST(HttpRequest.BodyPublishers.ofString(yaml)));
			assertThat(created.statusCode()).isEqualTo(201);

			assertThatThrownBy(this::start).hasRootCauseInstanceOf(HomeInUseException.class)
				.rootCause()
				.hasMessageContaining("NIGHTSHIFT_HOME=" + home);
		}
		try (ConfigurableApplicationContext again = start()) {
			HttpResponse<String> listed = send(again, HttpRequest.newBuilder().uri(uri(again, "/api/experiments")).GET());
			assertThat(listed.statusCode()).isEqualTo(200);
			assertThat(listed.body()).contains("\"name\":\"" + name + "\"");
			HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri(again, "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(health.body()).contains("\"status\":\"UP\"");
		}
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(NightshiftApplication.class)
			.properties("server.port=0", "nightshift.home=" + home, "spring.main.banner-mode=off")
			.run();
	}

	private HttpResponse<String> send(ConfigurableApplicationContext server, HttpRequest.Builder request)
			throws Exception {
		String credentials = Base64.getEncoder()
			.encodeToString("admin:test-admin-password".getBytes(StandardCharsets.UTF_8));
		return http.send(request.header("Authorization", "Basic " + credentials).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static URI uri(ConfigurableApplicationContext server, String path) {
		return URI.create("http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port") + path);
	}
}
