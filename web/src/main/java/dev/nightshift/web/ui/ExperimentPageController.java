package dev.nightshift.web.ui;

import java.time.Instant;
import java.util.List;

import dev.nightshift.agent.loop.MorningSummary;
import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.loop.ApprovalPolicy;
import dev.nightshift.experiments.loop.LoopControl;
import dev.nightshift.experiments.run.RunStatus;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The experiment page: its loop, the morning summary, the objective chart, the approval queue, the runs table
 * (filtered, sorted and paged by the query string), the questions tree and the dead-end log.
 */
@Controller
class ExperimentPageController {

	private final ExperimentRepository experiments;
	private final LoopBoard loops;
	private final MorningSummary summary;
	private final ResearchOverview research;
	private final RunTable runTable;
	private final ObjectiveChart chart;
	private final UsageView usage;
	private final QuestionEvidence evidence;

	ExperimentPageController(ExperimentRepository experiments, LoopBoard loops, MorningSummary summary,
			ResearchOverview research, RunTable runTable, ObjectiveChart chart, UsageView usage,
			QuestionEvidence evidence) {
		this.usage = usage;
		this.experiments = experiments;
		this.loops = loops;
		this.summary = summary;
		this.research = research;
		this.runTable = runTable;
		this.chart = chart;
		this.evidence = evidence;
	}

	/** What the page's header says about the experiment. */
	record Header(long id, String name, String objective, String metric, String command, String budget,
			String createdBy, Instant createdAt, Long bestRunId, int parameters) {

		static Header of(Experiment e) {
			return new Header(e.id().value(), e.name(), Dashboard.objective(e), e.spec().objective().metric(),
					e.spec().command(), e.spec().budget().run().toString().substring(2).toLowerCase(), e.createdBy(),
					e.createdAt(), e.bestRunId().orElse(null), e.spec().parameters().size());
		}
	}

	/** The whole page, or only the runs table when htmx pages, sorts or filters it. */
	@GetMapping("/experiments/{id}")
	@Transactional(readOnly = true)
	String page(@PathVariable long id, @RequestParam(required = false) List<String> status,
			@RequestParam(required = false) String sort, @RequestParam(required = false) Integer page,
			@RequestParam(required = false) Integer size,
			@RequestHeader(value = Htmx.TARGET, required = false) String target, Model model) {
		Experiment experiment = experiments.require(new ExperimentId(id));
		RunsQuery query = RunsQuery.parse(status, sort, page, size);
		model.addAttribute("experiment", Header.of(experiment));
		RunTable.View runs = runTable.page(id, experiment.bestRunId().orElse(null), query);
		model.addAttribute("runs", runs);
		model.addAttribute("usages", usage.ofRuns(runs.rows().stream().map(RunTable.Row::id).toList()));
		model.addAttribute("statuses", RunStatus.values());
		if ("runs".equals(target)) {
			return "experiment :: runs";
		}
		LoopBoard.View loop = loops.latest(id).orElse(null);
		model.addAttribute("loop", loop);
		model.addAttribute("policies", ApprovalPolicy.values());
		model.addAttribute("maxLookahead", LoopControl.MAX_LOOKAHEAD);
		model.addAttribute("summary", MorningView.of(summary, experiment, loop == null ? null : loop.startedAt()));
		model.addAttribute("queue", research.queue(experiment));
		List<ResearchOverview.QuestionRow> questions = research.tree(experiment);
		List<ResearchOverview.DeadEnd> deadEnds = research.deadEnds(experiment);
		model.addAttribute("questions", questions);
		model.addAttribute("deadEnds", deadEnds);
		java.util.Set<Long> asked = new java.util.HashSet<>();
		questions.forEach(q -> asked.add(q.id()));
		deadEnds.forEach(d -> asked.add(d.id()));
		model.addAttribute("evidence", evidence.of(experiment, asked));
		return "experiment";
	}

	/** The chart's series, fetched by the page's script. */
	@GetMapping("/experiments/{id}/objective")
	@ResponseBody
	@Transactional(readOnly = true)
	ObjectiveChart.Series objective(@PathVariable long id) {
		return chart.of(experiments.require(new ExperimentId(id)));
	}
}
