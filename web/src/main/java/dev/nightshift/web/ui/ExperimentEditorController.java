package dev.nightshift.web.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.nightshift.experiments.experiment.EditExperiment;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.shared.ConflictException;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.experiments.spec.SpecValidationException;
import dev.nightshift.experiments.spec.SpecViolation;
import dev.nightshift.web.demo.DemoProperties;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The YAML editor (ADMIN, {@code /admin/experiments/...}): register an experiment, or edit one. "Validate" runs
 * the very parser and checks {@code POST /api/experiments} runs and shows each broken rule beside its line;
 * "Save" registers through {@link RegisterExperiment} or edits through {@link EditExperiment}, which keeps the
 * change in place for brief, budget and noise and makes a new version for anything else.
 */
@Controller
class ExperimentEditorController {

	/** The example shown when the demo's file is not where the server runs. */
	private static final String EXAMPLE = "/setup/example-experiment.yaml";
	private static final Pattern NAME_LINE = Pattern.compile("(?m)^name:\\s*(\\S+)\\s*$");

	private final ExperimentSpecParser parser = new ExperimentSpecParser();
	private final JsonMapper json = JsonMapper.builder().build();
	private final YAMLMapper yaml = YAMLMapper.builder()
		.disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
		.enable(YAMLWriteFeature.MINIMIZE_QUOTES)
		.enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
		.build();
	private final RegisterExperiment register;
	private final EditExperiment edit;
	private final ExperimentRepository experiments;
	private final DemoProperties demo;

	ExperimentEditorController(RegisterExperiment register, EditExperiment edit, ExperimentRepository experiments,
			DemoProperties demo) {
		this.register = register;
		this.edit = edit;
		this.experiments = experiments;
		this.demo = demo;
	}

	@GetMapping("/admin/experiments/new")
	String newExperiment(Model model) {
		return page(model, null, example(), List.of(), null);
	}

	@PostMapping("/admin/experiments/new")
	String submitNew(@RequestParam String spec, @RequestParam(defaultValue = "validate") String action,
			Principal user, Model model, RedirectAttributes flash) {
		try {
			ExperimentSpec parsed = parser.parseYaml(spec);
			if ("save".equals(action)) {
				Experiment saved = register.register(parsed, "human:" + user.getName());
				flash.addFlashAttribute("notice", "Registered experiment " + saved.name() + ".");
				return "redirect:/experiments/" + saved.id();
			}
			register.check(parsed);
			return page(model, null, spec, List.of(), "Valid. Save registers the experiment " + parsed.name() + ".");
		}
		catch (SpecValidationException ex) {
			return page(model, null, spec, SpecLines.of(spec).place(ex.violations()), null);
		}
		catch (ConflictException ex) {
			return page(model, null, spec, SpecLines.of(spec)
				.place(List.of(new SpecViolation("name", "unique", ex.getMessage()))), null);
		}
	}

	@GetMapping("/admin/experiments/{id}/edit")
	String editExperiment(@PathVariable long id, Model model) {
		Experiment experiment = experiments.require(new ExperimentId(id));
		return page(model, experiment, toYaml(experiment.spec()), List.of(), null);
	}

	@PostMapping("/admin/experiments/{id}/edit")
	String submitEdit(@PathVariable long id, @RequestParam String spec,
			@RequestParam(defaultValue = "validate") String action, Principal user, Model model,
			RedirectAttributes flash) {
		Experiment experiment = experiments.require(new ExperimentId(id));
		try {
			ExperimentSpec parsed = parser.parseYaml(spec);
			if ("save".equals(action)) {
				EditExperiment.Edited edited = edit.edit(experiment.id(), parsed, "human:" + user.getName());
				flash.addFlashAttribute("notice", edited.newVersion()
						? "Registered " + edited.experiment().name() + ", a new version of " + experiment.name()
								+ "; the runs of " + experiment.name() + " keep their specification."
						: "Saved the brief, budget and noise settings of " + experiment.name() + ".");
				return "redirect:/experiments/" + edited.experiment().id();
			}
			String outcome = edit.makesNewVersion(experiment.id(), parsed)
					? "Valid. This changes more than brief, budget and noise: Save registers a new version of "
							+ experiment.name() + " (its runs keep their specification)."
					: "Valid. Save changes " + experiment.name() + " in place (brief, budget and noise only).";
			return page(model, experiment, spec, List.of(), outcome);
		}
		catch (SpecValidationException ex) {
			return page(model, experiment, spec, SpecLines.of(spec).place(ex.violations()), null);
		}
		catch (ConflictException ex) {
			return page(model, experiment, spec, SpecLines.of(spec)
				.place(List.of(new SpecViolation("", "conflict", ex.getMessage()))), null);
		}
	}

	private String page(Model model, Experiment experiment, String spec, List<SpecLines.Placed> errors, String valid) {
		model.addAttribute("editing", experiment == null ? null
				: new Editing(experiment.id().value(), experiment.name()));
		model.addAttribute("spec", spec);
		model.addAttribute("errors", errors);
		model.addAttribute("errorLines", errors.stream()
			.map(SpecLines.Placed::line)
			.filter(Objects::nonNull)
			.map(String::valueOf)
			.distinct()
			.collect(Collectors.joining(",")));
		model.addAttribute("valid", valid);
		return "experiment-editor";
	}

	/** The experiment being edited, as the page names it. */
	record Editing(long id, String name) {
	}

	/** The demo experiment's file, renamed when that name is taken, else the copy in the jar. */
	private String example() {
		Path file = demo.specPath();
		String text;
		try {
			if (Files.isRegularFile(file)) {
				text = Files.readString(file);
			}
			else {
				try (InputStream in = getClass().getResourceAsStream(EXAMPLE)) {
					text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Matcher name = NAME_LINE.matcher(text);
		if (name.find() && experiments.existsByName(name.group(1))) {
			text = name.replaceFirst("name: my-experiment");
		}
		return text;
	}

	private String toYaml(ExperimentSpec spec) {
		JsonNode tree = json.readTree(parser.toJson(spec));
		if (tree instanceof ObjectNode object) {
			// "source: null" says nothing a person needs to read (and keeps nothing the parser would miss).
			object.properties().stream().filter(field -> field.getValue().isNull()).map(Map.Entry::getKey).toList()
				.forEach(object::remove);
		}
		return yaml.writeValueAsString(tree);
	}
}
