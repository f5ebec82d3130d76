package dev.nightshift.web.mcp;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.shared.InvalidRequestException;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.scheduler.workspace.Workspaces;
import dev.nightshift.web.api.ResultsTsv;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import org.springframework.stereotype.Component;

/**
 * What an agent reads besides the digest, as MCP resources: the experiment's specification, its editable files
 * as they are at the best commit (what a patch is written against), and its {@code results.tsv}. Any signed-in
 * account may read them, as it may read the API.
 */
@Component
class ExperimentResources {

	/** A file longer than this is cut: an agent reads code, not data. */
	static final int MAX_FILE_BYTES = 256 * 1024;

	private static final Pattern URI = Pattern.compile("nightshift://experiments/([0-9]{1,18})/([a-z.]+)");

	private final ExperimentRepository experiments;
	private final Workspaces workspaces;
	private final ResultsTsv results;
	private final ExperimentSpecParser specs = new ExperimentSpecParser();

	ExperimentResources(ExperimentRepository experiments, Workspaces workspaces, ResultsTsv results) {
		this.experiments = experiments;
		this.workspaces = workspaces;
		this.results = results;
	}

	List<SyncResourceTemplateSpecification> specifications() {
		return List.of(
				template("spec", "application/json", "The experiment's specification: command, objective, budget,"
						+ " search space, editable files, brief.", e -> specs.toJson(e.spec())),
				template("editable", "text/plain", "The files a patch may change, as they are at the best commit"
						+ " (the base of every proposal), each under a '=== path ===' line.", this::editable),
				template("results.tsv", "text/tab-separated-values", "Every finished run in autoresearch's columns:"
						+ " commit, objective, memory_gb, keep/discard/crash, description.", this::resultsTsv));
	}

	private SyncResourceTemplateSpecification template(String name, String mimeType, String description,
			Function<Experiment, String> read) {
		McpSchema.ResourceTemplate template = McpSchema.ResourceTemplate.builder()
			.uriTemplate("nightshift://experiments/{experimentId}/" + name)
			.name(name)
			.description(description)
			.mimeType(mimeType)
			.build();
		return new SyncResourceTemplateSpecification(template, (exchange, request) -> {
			Caller.of(exchange.transportContext());
			Matcher matcher = URI.matcher(request.uri());
			if (!matcher.matches() || !matcher.group(2).equals(name)) {
				throw new InvalidRequestException("uri", "format",
						"expected nightshift://experiments/<id>/" + name + ", got " + request.uri());
			}
			Experiment experiment = experiments.require(new ExperimentId(Long.parseLong(matcher.group(1))));
			return new ReadResourceResult(List.of(new TextResourceContents(request.uri(), mimeType, read.apply(experiment))));
		});
	}

	private String editable(Experiment experiment) {
		Map<String, String> files = workspaces.editableFilesAtBest(experiment.id().value(), experiment.spec().editable(),
				MAX_FILE_BYTES);
		if (files.isEmpty()) {
			return "(no editable files yet: the source is imported at the first proposal with a patch or the first run)";
		}
		StringBuilder text = new StringBuilder();
		files.forEach((path, content) -> text.append("=== ").append(path).append(" ===\n").append(content)
			.append(content.endsWith("\n") ? "" : "\n"));
		return text.toString();
	}

	private String resultsTsv(Experiment experiment) {
		StringWriter text = new StringWriter();
		results.write(experiment, new PrintWriter(text));
		return text.toString();
	}
}
