package dev.nightshift.agent.loop;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A model at the wire in OpenAI's chat-completions format that answers every proposal request with as many
 * valid proposals (a new learning rate each) as it asks for, and every reflection request with REFUTED for each
 * question it names. Requests of either kind can be held at a gate until the test opens it, so that a test sees
 * calls in flight without measuring any time.
 */
final class StandInProvider implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();
	private static final Pattern ASKED = Pattern.compile("Propose (\\d+) new experiment");
	private static final Pattern QUESTION = Pattern.compile("(?:Question #|question #)(\\d+)");

	/** One request as received. */
	record Received(boolean proposal, String prompt) {
	}

	private final HttpServer server;
	private final List<Received> received = new CopyOnWriteArrayList<>();
	private final AtomicInteger waiting = new AtomicInteger();
	private final AtomicInteger proposalsMade = new AtomicInteger();
	private volatile String experiment = "";
	private volatile CountDownLatch proposalGate = new CountDownLatch(0);
	private volatile CountDownLatch reflectionGate = new CountDownLatch(0);

	StandInProvider() {
		try {
			server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		server.setExecutor(Executors.newCachedThreadPool(task -> {
			Thread thread = new Thread(task, "stand-in-model");
			thread.setDaemon(true);
			return thread;
		}));
		server.createContext("/v1/chat/completions", this::answer);
		server.start();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
	}

	/** Forgets what it received and from now on counts only the requests about {@code experimentName}. */
	void reset(String experimentName) {
		release();
		experiment = experimentName;
		received.clear();
	}

	void holdProposals() {
		proposalGate = new CountDownLatch(1);
	}

	void holdReflections() {
		reflectionGate = new CountDownLatch(1);
	}

	void release() {
		proposalGate.countDown();
		reflectionGate.countDown();
	}

	/** Requests about the experiment that arrived and wait at a gate. */
	int waiting() {
		return waiting.get();
	}

	List<Received> received() {
		return List.copyOf(received);
	}

	List<Received> reflectionRequests() {
		return received.stream().filter(r -> !r.proposal()).toList();
	}

	/** How many proposals each proposal request asked for, in order of arrival. */
	List<Integer> asked() {
		return received.stream().filter(Received::proposal).map(r -> {
			Matcher m = ASKED.matcher(r.prompt());
			return m.find() ? Integer.parseInt(m.group(1)) : 0;
		}).toList();
	}

	private void answer(HttpExchange exchange) throws IOException {
		JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
		StringBuilder prompt = new StringBuilder();
		request.get("messages").forEach(message -> {
			JsonNode content = message.path("content");
			prompt.append(content.isString() ? content.asString() : content.toString()).append('\n');
		});
		boolean proposal = ASKED.matcher(prompt).find();
		boolean counted = prompt.indexOf(experiment) >= 0;
		if (counted) {
			received.add(new Received(proposal, prompt.toString()));
			waiting.incrementAndGet();
		}
		try {
			(proposal ? proposalGate : reflectionGate).await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			if (counted) {
				waiting.decrementAndGet();
			}
		}
		String content = proposal ? proposals(prompt.toString()) : reflections(prompt.toString());
		ObjectNode body = json.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
			.put("created", 1735689600).put("model", "stand-in");
		ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
		choice.putObject("message").put("role", "assistant").put("content", content);
		body.putObject("usage").put("prompt_tokens", 900).put("completion_tokens", 60).put("total_tokens", 960);
		byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private String proposals(String prompt) {
		Matcher m = ASKED.matcher(prompt);
		int count = m.find() ? Integer.parseInt(m.group(1)) : 1;
		ObjectNode answer = json.createObjectNode();
		var list = answer.putArray("proposals");
		for (int i = 0; i < count; i++) {
			int n = proposalsMade.incrementAndGet();
			double lr = 0.001 + n * 0.0001;
			list.addObject().putNull("questionId").put("question", "Does lr " + lr + " lower val_loss?")
				.put("kind", "params").<ObjectNode>set("params", json.createObjectNode().put("lr", lr))
				.putNull("patch").put("rationale", "try learning rate " + lr).putNull("expectedEffect");
		}
		return answer.toString();
	}

	private static String reflections(String prompt) {
		// The question asked about comes after the digest, which may name other questions.
		String task = prompt.substring(Math.max(0, Math.max(prompt.lastIndexOf("## The runs to judge"),
				prompt.lastIndexOf("## The run to judge"))));
		Matcher m = QUESTION.matcher(task);
		ObjectNode answer = json.createObjectNode();
		var list = answer.putArray("reflections");
		while (m.find()) {
			list.addObject().put("questionId", Long.parseLong(m.group(1))).put("status", "REFUTED")
				.put("conclusion", "Refuted by the stand-in.");
		}
		return list.size() == 1 ? list.get(0).toString() : answer.toString();
	}

	@Override
	public void close() {
		release();
		server.stop(0);
	}
}
