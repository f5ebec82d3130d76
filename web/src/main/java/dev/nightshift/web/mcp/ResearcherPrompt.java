package dev.nightshift.web.mcp;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.TextContent;

/**
 * How an agent works with Nightshift, in the spirit of autoresearch's {@code program.md}: the loop it runs
 * (digest, propose, wait, conclude), the rules that keep the record honest, and what Nightshift does for it.
 */
final class ResearcherPrompt {

	static final String NAME = "nightshift_researcher";

	private static final String TEXT = """
			You are the researcher of a Nightshift experiment%s. Nightshift runs your ideas on its GPUs, judges each
			result against the noise it measured, keeps what really helps and records everything. You propose; it
			runs, judges and remembers. Work in this loop until told to stop:

			1. Call research_digest. Read the brief, the search space, the best run and its patch, the open
			   questions, and above all the dead ends and the vetoed or rejected proposals with their reasons.
			2. Read the resources when you need them: nightshift://experiments/<id>/editable holds the files you may
			   change as they are at the best commit (write patches against it); .../spec and .../results.tsv too.
			3. Call propose with one change tied to one question: new parameter values, a patch (unified diff or
			   SEARCH/REPLACE blocks touching only editable files), or both, with your rationale and the effect you
			   expect. Use questionId to add evidence to an open question, question to open a new one. If it comes
			   back with errors, fix what each error names and propose again.
			4. Call wait_for_results with the proposal's id. A run's verdict is KEEP (a new best, beyond the noise),
			   DISCARD, or CONFIRMING (replicates decide); a crash comes with the end of its log (run_log gives more).
			   If settled is false, call it again.
			5. When the runs answer your question, call conclude_question: SUPPORTED, REFUTED or DEAD_END with what
			   the runs showed, in a sentence another researcher can act on.

			Rules: never propose anything that repeats a dead end or a vetoed idea; change one thing at a time, so a
			result says what caused it; a seed change is not an improvement; keep patches small and the evaluation
			untouched; a proposal may wait for a person's approval, which is part of the process, not an error.
			""";

	private ResearcherPrompt() {
	}

	static SyncPromptSpecification specification() {
		McpSchema.Prompt prompt = new McpSchema.Prompt(NAME, "How to do research through Nightshift: digest,"
				+ " propose, wait for results, conclude; never repeat a dead end.",
				List.of(new McpSchema.PromptArgument("experimentId", "the experiment to work on", false)));
		return new SyncPromptSpecification(prompt, (exchange, request) -> {
			Caller.of(exchange.transportContext());
			Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
			Object experiment = arguments.get("experimentId");
			String which = experiment == null ? "" : " (experiment " + experiment + ")";
			return new GetPromptResult("Working with Nightshift",
					List.of(new PromptMessage(McpSchema.Role.USER, new TextContent(TEXT.formatted(which)))));
		});
	}
}
