package dev.nightshift.web.api;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.experiment.EditExperiment;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.experiment.RegisterExperiment;
import dev.nightshift.experiments.lifecycle.StateHistory;
import dev.nightshift.experiments.loop.LoopRepository;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.run.RunUsages;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.experiments.spec.SpecFormat;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** {@code /api/experiments}: register one from YAML or JSON, edit one, list them, read one. */
@RestController
@RequestMapping("/api/experiments")
class ExperimentController {

	static final String YAML = "application/yaml";

	private final ExperimentSpecParser parser = new ExperimentSpecParser();
	private final JsonMapper json = JsonMapper.builder().build();
	private final RegisterExperiment register;
	private final EditExperiment edit;
	private final ExperimentRepository experiments;
	private final RunRepository runs;
	private final LoopRepository loops;
	private final StateHistory history;
	private final RunUsages usages;

	ExperimentController(RegisterExperiment register, EditExperiment edit, ExperimentRepository experiments,
			RunRepository runs, LoopRepository loops, StateHistory history, RunUsages usages) {
		this.usages = usages;
		this.register = register;
		this.edit = edit;
		this.experiments = experiments;
		this.runs = runs;
		this.loops = loops;
		this.history = history;
	}

	/** The body is a specification as YAML ({@code application/yaml}, {@code text/yaml}) or JSON. */
	@PostMapping(consumes = { YAML, "application/x-yaml", "text/yaml", "text/x-yaml", MediaType.TEXT_PLAIN_VALUE,
			MediaType.APPLICATION_JSON_VALUE })
	ResponseEntity<ExperimentDetailResponse> create(@RequestBody String body,
			@RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType, Principal user) {
		SpecFormat format = MediaType.APPLICATION_JSON.isCompatibleWith(contentType) ? SpecFormat.JSON : SpecFormat.YAML;
		ExperimentSpec spec = parser.parse(body, format);
		Experiment experiment = register.register(spec, "human:" + user.getName());
		return ResponseEntity.created(URI.create("/api/experiments/" + experiment.id()))
			.body(new ExperimentDetailResponse(detail(experiment)));
	}

	/**
	 * Edits an experiment with a whole specification (YAML or JSON, as for registering; {@code name} unchanged): a
	 * change of the brief, budget and noise only is made in place (200); any other change registers a new version
	 * {@code <name>-v<n>} pointing at this one (201, its location), and the runs made so far keep their specification.
	 */
	@PutMapping(path = "/{id}", consumes = { YAML, "application/x-yaml", "text/yaml", "text/x-yaml",
			MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_JSON_VALUE })
	ResponseEntity<EditedResponse> edit(@PathVariable long id, @RequestBody String body,
			@RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType, Principal user) {
		SpecFormat format = MediaType.APPLICATION_JSON.isCompatibleWith(contentType) ? SpecFormat.JSON : SpecFormat.YAML;
		ExperimentSpec spec = parser.parse(body, format);
		EditExperiment.Edited edited = edit.edit(new ExperimentId(id), spec, "human:" + user.getName());
		Experiment experiment = edited.experiment();
		EditedResponse response = new EditedResponse(experiment.id().value(), experiment.name(), edited.newVersion(),
				experiment.previousId().map(ExperimentId::value).orElse(null), detail(experiment));
		return edited.newVersion()
				? ResponseEntity.created(URI.create("/api/experiments/" + experiment.id())).body(response)
				: ResponseEntity.ok(response);
	}

	/** An edited experiment, or the new version an edit registered ({@code previousId}: the one it came from). */
	record EditedResponse(long id, String name, boolean newVersion, Long previousId,
			Views.ExperimentDetail experiment) {
	}

	@GetMapping
	@Transactional(readOnly = true)
	List<Views.ExperimentSummary> list() {
		return experiments.findAll(Sort.by("id")).stream().map(Views.ExperimentSummary::of).toList();
	}

	@GetMapping("/{id}")
	@Transactional(readOnly = true)
	Views.ExperimentDetail get(@PathVariable long id) {
		return detail(experiments.require(new ExperimentId(id)));
	}

	private Views.ExperimentDetail detail(Experiment e) {
		Views.RunView best = e.bestRunId()
			.flatMap(runs::findById)
			.map(run -> Views.RunView.of(run, history.of("RUN", run.id().value()), usages.of(run.id()).orElse(null)))
			.orElse(null);
		Views.LoopView loop = loops.findFirstByExperimentIdOrderByIdDesc(e.id().value()).map(Views.LoopView::of).orElse(null);
		Map<String, Object> spec = json.readValue(parser.toJson(e.spec()), new TypeReference<Map<String, Object>>() {
		});
		return new Views.ExperimentDetail(e.id().value(), e.name(), e.spec().objective().metric(),
				e.spec().objective().goal().name().toLowerCase(), e.createdBy(), e.createdAt(), best, loop, spec);
	}

	/** The created experiment, with its id at the top level as SPEC section 8 promises. */
	record ExperimentDetailResponse(long id, String name, Views.ExperimentDetail experiment) {

		ExperimentDetailResponse(Views.ExperimentDetail experiment) {
			this(experiment.id(), experiment.name(), experiment);
		}
	}
}
