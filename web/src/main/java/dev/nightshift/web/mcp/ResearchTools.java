package dev.nightshift.web.mcp;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Usage;
import dev.nightshift.agent.context.DigestRenderer;
import dev.nightshift.agent.context.ResearchContextBuilder;
import dev.nightshift.agent.llm.DigestText;
import dev.nightshift.agent.loop.LoopDriver;
import dev.nightshift.agent.loop.LoopProgress;
import dev.nightshift.agent.validation.ProposalIntake;
import dev.nightshift.experiments.experiment.ExperimentId;
import dev.nightshift.experiments.experiment.ExperimentRepository;
import dev.nightshift.experiments.loop.Loop;
import dev.nightshift.experiments.loop.LoopRepository;
import dev.nightshift.experiments.loop.LoopStatus;
import dev.nightshift.experiments.proposal.Proposal;
import dev.nightshift.experiments.proposal.ProposalId;
import dev.nightshift.experiments.question.Question;
import dev.nightshift.experiments.question.QuestionId;
import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.run.RunRepository;
import dev.nightshift.experiments.shared.NotFoundException;
import dev.nightshift.web.security.Role;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;

/**
 * The tools an agent researches with. Each is a thin adapter: the digest is the one the LLM researcher reads,
 * a proposal goes through {@link ProposalIntake} (the one validated way in, with the API's errors), approval is
 * left to the loop's policy or a person, and a conclusion closes a question as a reflection would. Reading
 * takes the VIEWER role; proposing and concluding take REVIEWER, as on the API.
 */
@Component
class ResearchTools {

	/** The longest a single {@code wait_for_results} call blocks. */
	static final int MAX_WAIT_SECONDS = 1800;

	private static final String EXPERIMENT = """
			{"type": "object", "properties": {"experimentId": {"type": "integer", "description": "the experiment's id"}},
			 "required": ["experimentId"]}""";

	private final ExperimentRepository experiments;
	private final LoopRepository loops;
	private final LoopProgress progress;
	private final RunRepository runs;
	private final ResearchContextBuilder contexts;
	private final DigestText digest;
	private final ProposalIntake intake;
	private final LoopDriver driver;
	private final ProposalResults results;
	private final ConcludeQuestion conclude;

	ResearchTools(ExperimentRepository experiments, LoopRepository loops, LoopProgress progress, RunRepository runs,
			ResearchContextBuilder contexts, DigestText digest, ProposalIntake intake, LoopDriver driver,
			ProposalResults results, ConcludeQuestion conclude) {
		this.experiments = experiments;
		this.loops = loops;
		this.progress = progress;
		this.runs = runs;
		this.contexts = contexts;
		this.digest = digest;
		this.intake = intake;
		this.driver = driver;
		this.results = results;
		this.conclude = conclude;
	}

	List<ToolDefinition> definitions() {
		return List.of(
				new ToolDefinition("list_experiments", "The experiments on this server: id, name, objective and the"
						+ " state of each one's loop. Start here to find the experiment to work on.",
						"{\"type\": \"object\", \"properties\": {}}", (caller, args) -> listExperiments()),
				new ToolDefinition("research_digest", "What the research stands at, as the built-in LLM researcher"
						+ " reads it: the brief, search space, best run with its patch, recent and top runs, open"
						+ " questions, dead ends (never repeat one), vetoes and rejections with reasons, crashes, budget."
						+ " Read it before every proposal.", EXPERIMENT,
						(caller, args) -> digest(new ExperimentId(args.id("experimentId")))),
				new ToolDefinition("propose", "Proposes one change to try, tied to a research question: new"
						+ " parameter values and/or a patch (unified diff or SEARCH/REPLACE blocks against the best"
						+ " commit, touching only editable files). It is validated as every proposal is; a broken rule"
						+ " comes back as errors naming the field and the rule. The loop's approval policy or a person"
						+ " then decides; call wait_for_results next.", """
						{"type": "object", "properties": {
						  "experimentId": {"type": "integer"},
						  "question": {"type": "string", "description": "the hypothesis in words (a new question)"},
						  "questionId": {"type": "integer", "description": "an open question to add evidence to"},
						  "params": {"type": "object", "description": "parameter name → value, inside the search space"},
						  "patch": {"type": "string", "description": "unified diff or SEARCH/REPLACE blocks"},
						  "rationale": {"type": "string", "description": "why this should help"},
						  "expectedEffect": {"type": "string", "description": "what you expect the objective to do"}},
						 "required": ["experimentId", "rationale"]}""", this::propose),
				new ToolDefinition("proposal_status", "Where a proposal stands: PROPOSED, APPROVED, SCHEDULED, DONE,"
						+ " VETOED or REJECTED (with the reason), and its runs with outcome, objective and verdict.",
						"""
						{"type": "object", "properties": {"proposalId": {"type": "integer"}}, "required": ["proposalId"]}""",
						(caller, args) -> results.status(new ProposalId(args.id("proposalId")), 20)),
				new ToolDefinition("wait_for_results", "Blocks until the proposal is settled (its runs ended and"
						+ " were judged, or it was vetoed or rejected) or timeoutSeconds pass, then returns each run's"
						+ " outcome, objective, verdict (KEEP, DISCARD) and why, and the tail of its log. settled=false"
						+ " means: call it again.", """
						{"type": "object", "properties": {"proposalId": {"type": "integer"},
						  "timeoutSeconds": {"type": "integer", "minimum": 0, "maximum": %d, "description": "default 300"}},
						 "required": ["proposalId"]}""".formatted(MAX_WAIT_SECONDS),
						(caller, args) -> results.await(new ProposalId(args.id("proposalId")),
								Duration.ofSeconds(args.number("timeoutSeconds", 300, 0, MAX_WAIT_SECONDS)), 30)),
				new ToolDefinition("run_log", "The last lines of a run's log (stdout and stderr): why it crashed,"
						+ " what it printed.", """
						{"type": "object", "properties": {"runId": {"type": "integer"},
						  "lines": {"type": "integer", "minimum": 1, "maximum": 2000, "description": "default 100"}},
						 "required": ["runId"]}""", this::runLog),
				new ToolDefinition("conclude_question", "Closes an open research question with what the runs showed:"
						+ " SUPPORTED, REFUTED or DEAD_END, and the conclusion. REFUTED and DEAD_END questions join the"
						+ " dead-end log that every proposer, you included, must never walk into again.", """
						{"type": "object", "properties": {"questionId": {"type": "integer"},
						  "status": {"type": "string", "enum": ["SUPPORTED", "REFUTED", "DEAD_END"]},
						  "conclusion": {"type": "string"}},
						 "required": ["questionId", "status", "conclusion"]}""", this::concludeQuestion),
				new ToolDefinition("loop_status", "The experiment's overnight loop: status, approval policy, who"
						+ " proposes (external: you), stop conditions, runs started and finished, proposals waiting.",
						EXPERIMENT, (caller, args) -> loopStatus(new ExperimentId(args.id("experimentId")))));
	}

	record ExperimentItem(long id, String name, String metric, String goal, String brief, LoopItem loop) {
	}

	record LoopItem(long id, String status, String policy, String proposer, String stopReason,
			LoopProgress.Snapshot progress, String waitingFor) {
	}

	private Map<String, Object> listExperiments() {
		return Map.of("experiments", experiments.findAll(Sort.by("id")).stream()
			.map(e -> new ExperimentItem(e.id().value(), e.name(), e.spec().objective().metric(),
					e.spec().objective().goal().name().toLowerCase(), e.spec().brief(),
					loops.findFirstByExperimentIdOrderByIdDesc(e.id().value()).map(this::loopItem).orElse(null)))
			.toList());
	}

	private String digest(ExperimentId id) {
		experiments.require(id);
		return digest.render(contexts.build(id, null, id.value()), DigestRenderer.DEFAULT_BUDGET_TOKENS);
	}

	private Map<String, Object> propose(Caller caller, Arguments args) {
		caller.require(Role.REVIEWER, "propose");
		ExperimentId experiment = new ExperimentId(args.id("experimentId"));
		// The same way in as the API's and every proposer's: one validator, the same errors.
		Proposal proposal = intake.submit(experiment, caller.actor(), ProposalDraft.of(args.optionalId("questionId"),
				args.text("question"), args.object("params"), args.text("patch"), args.text("rationale"),
				args.text("expectedEffect"), Usage.NONE));
		// The loop applies its policy on its next step; wake it rather than wait for its tick.
		driver.wake();
		Loop loop = loops.findActive(experiment.value()).orElse(null);
		String next = loop == null ? "no loop runs on this experiment: a person approves or vetoes it in the UI"
				: "the loop's policy (" + loop.policy().wireName() + ") or a person decides; call wait_for_results";
		return Map.of("proposalId", proposal.id().value(), "questionId", proposal.questionId().value(), "status",
				proposal.status().name(), "next", next);
	}

	private String runLog(Caller caller, Arguments args) {
		RunId id = new RunId(args.id("runId"));
		runs.require(id);
		String tail = results.logTail(id, args.number("lines", 100, 1, 2000));
		if (tail == null) {
			throw new NotFoundException("log of run", id);
		}
		return tail;
	}

	private Map<String, Object> concludeQuestion(Caller caller, Arguments args) {
		caller.require(Role.REVIEWER, "conclude a question");
		Question question = conclude.conclude(new ConcludeQuestion.Command(new QuestionId(args.id("questionId")),
				args.requiredText("status"), args.requiredText("conclusion")), caller.actor());
		return Map.of("questionId", question.id().value(), "status", question.status().name(), "conclusion",
				question.conclusion().orElse(""));
	}

	private Object loopStatus(ExperimentId id) {
		experiments.require(id);
		return loops.findFirstByExperimentIdOrderByIdDesc(id.value())
			.<Object>map(this::loopItem)
			.orElseGet(() -> Map.of("status", "NONE", "waitingFor", "no loop was ever started on this experiment; a"
					+ " reviewer starts one (POST /api/experiments/" + id + "/loop with \"proposer\": \"external\")"));
	}

	private LoopItem loopItem(Loop loop) {
		LoopProgress.Snapshot snapshot = progress.of(loop);
		String waiting = null;
		if (loop.status() == LoopStatus.RUNNING && snapshot.awaitingApproval() > 0 && snapshot.active() == 0) {
			waiting = snapshot.awaitingApproval() + " proposal(s) wait for a person's approval";
		}
		else if (loop.status() == LoopStatus.RUNNING && loop.external() && snapshot.active() == 0
				&& snapshot.approved() == 0) {
			waiting = "waiting for your next proposal";
		}
		return new LoopItem(loop.id().value(), loop.status().name(), loop.policy().wireName(),
				loop.external() ? Loop.EXTERNAL : "configured", loop.stopReason().orElse(null), snapshot, waiting);
	}
}
