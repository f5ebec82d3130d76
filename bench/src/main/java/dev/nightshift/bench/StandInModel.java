package dev.nightshift.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
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
 * A scripted model behind an OpenAI-compatible chat-completions endpoint, as a local LLM server would be: the
 * server under test is configured with {@code provider=openai} and this server's base URL, so everything from
 * the prompt to the JSON answer goes over the wire as with a real model.
 *
 * <p>What it answers: asked for proposals, the next item of {@link StandInMenu} (patches and one-factor parameter
 * questions); on the first request that shows a crashed run's traceback (the misspelt name), the change without
 * the typo: as the answer to a debug step where the server has one (which asks for the fix before it asks for
 * anything else), as a proposal for the same question where it has none; asked to reflect on a run, OPEN (it
 * leaves closing questions to the server's own rules, which are what the benchmark measures).
 */
final class StandInModel implements AutoCloseable {

	/** The words of the server's proposal prompt, which tell a request for proposals from any other. */
	private static final String PROPOSER_ROLE = "running experiments overnight";

	private static final String REFLECTOR_ROLE = "reviewing a finished run";

	/** The words of a debug step's prompt (a server that shows a crashed patch for a fix). */
	private static final String DEBUGGER_ROLE = "debugging a code change";

	private static final Pattern STUDIED = Pattern.compile("It studied question #(\\d+)");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final ExecutorService executor;

	private final StandInMenu menu = new StandInMenu();

	private final AtomicInteger requests = new AtomicInteger();

	private final AtomicInteger crashesShown = new AtomicInteger();

	private final List<String> fixes = new ArrayList<>();

	private StandInModel(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	static StandInModel start() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		// One request at a time, as the script is one conversation; its thread ends on close.
		ExecutorService executor = Executors.newSingleThreadExecutor();
		StandInModel model = new StandInModel(server, executor);
		server.createContext("/", model::handle);
		server.setExecutor(executor);
		server.start();
		return model;
	}

	/** The base URL to configure ({@code nightshift.agent.base-url}). */
	String baseUrl() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
	}

	int requests() {
		return requests.get();
	}

	/** Requests that held the crash's traceback. */
	int crashesShown() {
		return crashesShown.get();
	}

	/** How each fix was offered: "debug" (the answer to a debug step) or "proposal" (a fresh proposal). */
	synchronized List<String> fixes() {
		return List.copyOf(fixes);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!"POST".equals(exchange.getRequestMethod()) || !exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
				reply(exchange, 404, "{\"error\": {\"message\": \"only chat completions here\"}}");
				return;
			}
			requests.incrementAndGet();
			JsonNode request;
			try (InputStream in = exchange.getRequestBody()) {
				request = JSON.readTree(in.readAllBytes());
			}
			reply(exchange, 200, envelope(answer(request)));
		}
		catch (RuntimeException ex) {
			// The server under test sees a 500 and retries; the benchmark's own fault shows in its output.
			ex.printStackTrace();
			throw ex;
		}
	}

	private synchronized String answer(JsonNode request) {
		String system = "";
		StringBuilder user = new StringBuilder();
		for (JsonNode message : request.path("messages")) {
			String content = content(message.path("content"));
			if ("system".equals(message.path("role").asString())) {
				system += content;
			}
			else {
				user.append(content).append('\n');
			}
		}
		String text = user.toString();
		boolean crash = text.contains(ResearchProgram.TYPO) && text.contains("NameError");
		if (crash) {
			crashesShown.incrementAndGet();
		}
		if (system.contains(REFLECTOR_ROLE)) {
			Matcher studied = STUDIED.matcher(text);
			long question = studied.find() ? Long.parseLong(studied.group(1)) : 0;
			return JSON.createObjectNode().put("questionId", question).put("status", "OPEN")
				.put("conclusion", "One run decides nothing here; the server's rules close it.").toString();
		}
		if (system.contains(DEBUGGER_ROLE)) {
			return fix(crash && !menu.fixOffered());
		}
		if (crash && !menu.fixOffered()) {
			fixes.add("proposal");
			return proposals(List.of(menu.fix()));
		}
		int count = Math.max(1, requestedCount(text));
		List<StandInMenu.Item> items = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			items.add(menu.next(text));
		}
		return proposals(items);
	}

	/** A debug step's answer: the whole change without the typo, or no fix for a crash it does not know. */
	private String fix(boolean known) {
		ObjectNode answer = JSON.createObjectNode();
		answer.putObject("params");
		answer.put("expectedEffect", "val_loss lower than the best so far");
		if (!known) {
			return answer.put("diagnosis", "Not a crash this model knows how to fix.").putNull("patch")
				.put("rationale", "No fix.").toString();
		}
		fixes.add("debug");
		StandInMenu.Item fix = menu.fix();
		return answer.put("diagnosis", "NameError: " + ResearchProgram.TYPO + " is a misspelling of SMOOTHING_TARGET.")
			.put("patch", fix.patch())
			.put("rationale", fix.rationale())
			.toString();
	}

	private static int requestedCount(String text) {
		Matcher count = Pattern.compile("Propose (\\d+) new experiment").matcher(text);
		return count.find() ? Integer.parseInt(count.group(1)) : 1;
	}

	private static String proposals(List<StandInMenu.Item> items) {
		ObjectNode root = JSON.createObjectNode();
		var list = root.putArray("proposals");
		for (StandInMenu.Item item : items) {
			ObjectNode proposal = list.addObject();
			proposal.putNull("questionId");
			proposal.put("question", item.question());
			proposal.put("kind", item.patch() == null ? "params" : "patch");
			ObjectNode params = proposal.putObject("params");
			item.params().forEach((name, value) -> {
				if (value instanceof Double d) {
					params.put(name, d);
				}
				else if (value instanceof Integer i) {
					params.put(name, i);
				}
				else {
					params.put(name, String.valueOf(value));
				}
			});
			if (item.patch() == null) {
				proposal.putNull("patch");
			}
			else {
				proposal.put("patch", item.patch());
			}
			proposal.put("rationale", item.rationale());
			proposal.put("expectedEffect", "val_loss lower than the best so far");
		}
		return root.toString();
	}

	/** The content of a message: a string, or OpenAI's list of typed parts. */
	private static String content(JsonNode content) {
		if (content.isString()) {
			return content.asString();
		}
		StringBuilder text = new StringBuilder();
		for (JsonNode part : content) {
			text.append(part.path("text").asString(""));
		}
		return text.toString();
	}

	private static String envelope(String content) {
		ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-standin").put("object", "chat.completion")
			.put("created", 1735689600).put("model", "standin");
		ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
		choice.putObject("message").put("role", "assistant").put("content", content);
		// Tokens as a model of this size would count them, roughly: what the loop's spending limits see.
		body.putObject("usage").put("prompt_tokens", 1000).put("completion_tokens", content.length() / 4)
			.put("total_tokens", 1000 + content.length() / 4);
		return body.toString();
	}

	private static void reply(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	/** What it was asked and answered, for the report. */
	synchronized Map<String, Object> report() {
		Map<String, Object> report = new LinkedHashMap<>();
		report.put("requests", requests.get());
		report.put("requests_showing_the_crash", crashesShown.get());
		report.put("fixes_offered", List.copyOf(fixes));
		report.put("menu_items_offered", menu.offered());
		return report;
	}

	@Override
	public void close() {
		server.stop(0);
		executor.shutdownNow();
	}
}
