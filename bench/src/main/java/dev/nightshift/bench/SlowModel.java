package dev.nightshift.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A model at the wire, in OpenAI's chat-completions format, that answers every request correctly after a fixed
 * latency: as many proposals (random values of the duty experiment's {@code lr} and {@code width}) as a proposal
 * request asks for, and OPEN for every reflection. It keeps when each call began and ended, for the calls in
 * flight over time.
 */
final class SlowModel implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();
	private static final Pattern ASKED = Pattern.compile("Propose (\\d+) new experiment");

	/** One call: when it arrived and was answered (epoch seconds), and whether it asked for proposals. */
	record Call(double began, double ended, boolean proposal, int asked) {
	}

	private final HttpServer server;
	private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
		Thread t = new Thread(task, "stand-in-model");
		t.setDaemon(true);
		return t;
	});
	private final Duration latency;
	private final Random random = new Random(42);
	private final List<Call> calls = new CopyOnWriteArrayList<>();
	private int proposed;

	SlowModel(Duration latency) throws IOException {
		this.latency = latency;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.setExecutor(threads);
		server.createContext("/v1/chat/completions", this::answer);
		server.start();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
	}

	List<Call> calls() {
		return List.copyOf(calls);
	}

	private void answer(HttpExchange exchange) throws IOException {
		double began = now();
		JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
		StringBuilder prompt = new StringBuilder();
		request.get("messages").forEach(message -> {
			JsonNode content = message.path("content");
			prompt.append(content.isString() ? content.asString() : content.toString()).append('\n');
		});
		Matcher asked = ASKED.matcher(prompt);
		boolean proposal = asked.find();
		int count = proposal ? Integer.parseInt(asked.group(1)) : 0;
		try {
			Thread.sleep(latency.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		String content = proposal ? proposals(count)
				: prompt.indexOf("## The runs to judge") >= 0
						? "{\"reflections\": [{\"questionId\": 0, \"status\": \"OPEN\", \"conclusion\": \"More runs needed.\"}]}"
						: "{\"questionId\": 0, \"status\": \"OPEN\", \"conclusion\": \"More runs needed.\"}";
		ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-bench").put("object", "chat.completion")
			.put("created", 1735689600).put("model", "stand-in");
		ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
		choice.putObject("message").put("role", "assistant").put("content", content);
		body.putObject("usage").put("prompt_tokens", 2000).put("completion_tokens", 150 * Math.max(1, count))
			.put("total_tokens", 2000 + 150 * Math.max(1, count));
		byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
		calls.add(new Call(began, now(), proposal, count));
	}

	private synchronized String proposals(int count) {
		ObjectNode answer = JSON.createObjectNode();
		ArrayNode list = answer.putArray("proposals");
		for (int i = 0; i < count; i++) {
			proposed++;
			double lr = Math.pow(10, -4 + 4 * random.nextDouble());
			int width = (int) Math.round(Math.pow(2, 4 + 6 * random.nextDouble()));
			list.addObject().putNull("questionId")
				.put("question", "Idea " + proposed + ": does lr " + String.format("%.5g", lr) + " with width " + width
						+ " lower val_loss?")
				.put("kind", "params")
				.<ObjectNode>set("params", JSON.createObjectNode().put("lr", lr).put("width", width))
				.putNull("patch")
				.put("rationale", "A stand-in's random guess.")
				.putNull("expectedEffect");
		}
		return answer.toString();
	}

	/**
	 * The most calls in flight within each {@code step} from {@code from} to {@code to}.
	 */
	static List<Integer> inFlight(List<Call> calls, double from, double to, double step) {
		List<Integer> series = new ArrayList<>();
		for (double t = from; t < to; t += step) {
			double start = t;
			double end = t + step;
			int most = 0;
			// Calls overlapping the window, counted at each call's start inside it and at the window's start.
			List<Double> instants = new ArrayList<>(List.of(start));
			calls.stream().filter(c -> c.began() >= start && c.began() < end).forEach(c -> instants.add(c.began()));
			for (double at : instants) {
				int n = (int) calls.stream().filter(c -> c.began() <= at && c.ended() > at).count();
				most = Math.max(most, n);
			}
			series.add(most);
		}
		return series;
	}

	private static double now() {
		return System.currentTimeMillis() / 1000.0;
	}

	@Override
	public void close() {
		server.stop(0);
		threads.shutdownNow();
	}
}
