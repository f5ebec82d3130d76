package dev.nightshift.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.StreamSupport;

import dev.nightshift.web.TestAccounts;
import dev.nightshift.web.WebIntegrationTest;
import dev.nightshift.web.Yaml;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Approving is exactly once, seen from the outside: real HTTP requests, at the same moment, to the real server. */
@WebIntegrationTest
class ExactlyOnceApprovalTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final int APPROVERS = 50;

	@LocalServerPort
	int port;

	@Autowired
	TestAccounts as;

	private final HttpClient http = HttpClient.newHttpClient();

	private final ExecutorService threads = Executors.newFixedThreadPool(APPROVERS);

	private String reviewer;

	private String admin;

	private long experiment;

	@BeforeEach
	void registerExperiment() throws Exception {
		as.reviewer();
		reviewer = basic("test-reviewer", TestAccounts.PASSWORD);
		admin = basic("admin", "test-admin-password");
		HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/experiments"))
			.header("Authorization", admin).header("Content-Type", "application/yaml")
			.POST(HttpRequest.BodyPublishers.ofString(Yaml.microGpt())));
		assertThat(created.statusCode()).isEqualTo(201);
		experiment = json.readTree(created.body()).get("id").asLong();
	}

	@AfterEach
	void stopThreads() {
		threads.shutdownNow();
	}

	@Test
	void fiftyParallelApprovalsOfOneProposalGiveOneSuccessAndOneRun() throws Exception {
		long proposal = propose();
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<HttpResponse<String>>> approvals = new ArrayList<>();
		for (int i = 0; i < APPROVERS; i++) {
			approvals.add(CompletableFuture.supplyAsync(() -> {
				try {
					start.await();
					return send(approve(proposal));
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}, threads));
		}
		start.countDown();
		List<HttpResponse<String>> answers = approvals.stream().map(CompletableFuture::join).toList();

		assertThat(answers).filteredOn(r -> r.statusCode() == 200).hasSize(1);
		assertThat(answers).filteredOn(r -> r.statusCode() != 200)
			.hasSize(APPROVERS - 1)
			.allSatisfy(r -> {
				assertThat(r.statusCode()).isEqualTo(409);
				assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
						type -> assertThat(type).startsWith("application/problem+json"));
			});
		await().atMost(Duration.ofMinutes(3)).until(() -> status(proposal).equals("DONE"));
		assertThat(runsOf(proposal)).isEqualTo(1);
	}

	@Test
	void approvingAnApprovedScheduledOrDoneProposalAgainIsAConflictNamingFromAndTo() throws Exception {
		long proposal = propose();
		assertThat(send(approve(proposal)).statusCode()).isEqualTo(200);
		HttpResponse<String> again = send(approve(proposal));
		assertThat(again.statusCode()).isEqualTo(409);
		JsonNode problem = json.readTree(again.body());
		assertThat(problem.get("to").asString()).isEqualTo("APPROVED");
		assertThat(problem.get("from").asString()).isIn("APPROVED", "SCHEDULED", "DONE");

		await().atMost(Duration.ofMinutes(3)).until(() -> status(proposal).equals("DONE"));
		HttpResponse<String> afterItRan = send(approve(proposal));
		assertThat(afterItRan.statusCode()).isEqualTo(409);
		assertThat(json.readTree(afterItRan.body()).get("from").asString()).isEqualTo("DONE");
		assertThat(runsOf(proposal)).isEqualTo(1);
	}

	private long propose() throws Exception {
		HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/experiments/" + experiment + "/proposals"))
			.header("Authorization", reviewer).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(
					"{\"params\": {\"lr\": 0.01}, \"rationale\": \"worth a run\", \"question\": \"Is 0.01 better?\"}")));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return json.readTree(created.body()).get("id").asLong();
	}

	private HttpRequest.Builder approve(long proposal) {
		return HttpRequest.newBuilder(uri("/api/proposals/" + proposal + "/approve"))
			.header("Authorization", reviewer)
			.POST(HttpRequest.BodyPublishers.noBody());
	}

	private String status(long proposal) throws Exception {
		HttpResponse<String> found = send(HttpRequest.newBuilder(uri("/api/proposals/" + proposal))
			.header("Authorization", reviewer).GET());
		return json.readTree(found.body()).get("status").asString();
	}

	private long runsOf(long proposal) throws Exception {
		HttpResponse<String> found = send(HttpRequest.newBuilder(uri("/api/experiments/" + experiment + "/runs?size=500"))
			.header("Authorization", reviewer).GET());
		return StreamSupport.stream(json.readTree(found.body()).get("items").spliterator(), false)
			.filter(run -> run.get("proposalId").asLong() == proposal)
			.count();
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return http.send(request.timeout(Duration.ofMinutes(1)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + port + path);
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}
}
