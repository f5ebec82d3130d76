package dev.nightshift.agent.llm;

import java.util.Map;

import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.nightshift.experiments.spec.ChoiceParameter;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.FloatParameter;
import dev.nightshift.experiments.spec.IntParameter;
import dev.nightshift.experiments.spec.ParameterSpec;

/**
 * The JSON schemas of the answers. The proposals' {@code params} object is built from the experiment's search
 * space, one typed property per parameter, so that a provider enforcing the schema (OpenAI strict mode) keeps
 * the model to known names and types. Properties that are not required become nullable in strict mode: null
 * means "not given".
 */
final class AnswerSchemas {

	private AnswerSchemas() {
	}

	/** {@code {"proposals": [{questionId, question, kind, params, patch, rationale, expectedEffect}]}}. */
	static JsonSchema proposals(ExperimentSpec spec) {
		JsonObjectSchema proposal = JsonObjectSchema.builder()
			.addProperty("questionId", JsonIntegerSchema.builder()
				.description("id of the open question this proposal studies; null to ask a new question")
				.build())
			.addStringProperty("question", "a new research question in words, when questionId is null")
			.addEnumProperty("kind", java.util.List.of("params", "patch", "both"),
					"what the proposal changes: parameter values, code, or both")
			.addProperty("params", params(spec))
			.addStringProperty("patch",
					"a unified diff (as git diff prints it) or SEARCH/REPLACE blocks against the best run's code; null for none")
			.addStringProperty("rationale", "why this is worth a run, in a few sentences")
			.addStringProperty("expectedEffect", "what you expect to see, e.g. 'val_loss 0.02 lower'")
			.required("kind", "params", "rationale")
			.build();
		JsonObjectSchema root = JsonObjectSchema.builder()
			.addProperty("proposals", JsonArraySchema.builder().items(proposal).build())
			.required("proposals")
			.build();
		return JsonSchema.builder().name("proposals").rootElement(root).build();
	}

	/** {@code {"diagnosis", "patch", "params", "rationale", "expectedEffect"}}: a crashed patch's fix, or none. */
	static JsonSchema fix(ExperimentSpec spec) {
		JsonObjectSchema root = JsonObjectSchema.builder()
			.addStringProperty("diagnosis", "what made the patch crash, in a sentence or two")
			.addStringProperty("patch", "the whole corrected patch, a unified diff or SEARCH/REPLACE blocks against the "
					+ "best run's code; null when the crash cannot be fixed")
			.addProperty("params", params(spec))
			.addStringProperty("rationale", "why the fix is right and the idea worth its run")
			.addStringProperty("expectedEffect", "what you expect to see, e.g. 'val_loss 0.02 lower'")
			.required("diagnosis", "patch", "rationale")
			.build();
		return JsonSchema.builder().name("fix").rootElement(root).build();
	}

	/** {@code {"questionId", "status", "conclusion"}}. */
	static JsonSchema reflection() {
		JsonObjectSchema root = JsonObjectSchema.builder()
			.addIntegerProperty("questionId", "the question the run studied")
			.addProperty("status", JsonEnumSchema.builder()
				.enumValues(Answers.QUESTION_STATUSES)
				.description("OPEN to keep studying; SUPPORTED or REFUTED when the evidence decides; DEAD_END when "
						+ "further runs are not worth it; ABANDONED to drop it without a conclusion")
				.build())
			.addStringProperty("conclusion", "one or two sentences that every later proposer will read")
			.required("questionId", "status", "conclusion")
			.build();
		return JsonSchema.builder().name("reflection").rootElement(root).build();
	}

	private static JsonObjectSchema params(ExperimentSpec spec) {
		JsonObjectSchema.Builder params = JsonObjectSchema.builder()
			.description("values to set; leave a parameter out (or null) to keep the base's value");
		for (Map.Entry<String, ParameterSpec> entry : spec.parameters().entrySet()) {
			params.addProperty(entry.getKey(), parameter(entry.getValue()));
		}
		return params.build();
	}

	private static JsonSchemaElement parameter(ParameterSpec parameter) {
		if (parameter instanceof FloatParameter p) {
			return JsonNumberSchema.builder()
				.description("float in [" + p.min() + ", " + p.max() + "]" + (p.log() ? ", log scale" : ""))
				.build();
		}
		if (parameter instanceof IntParameter p) {
			return JsonIntegerSchema.builder()
				.description("integer in [" + p.min() + ", " + p.max() + "]" + (p.log() ? ", log scale" : ""))
				.build();
		}
		// A string with the values in its description: an enum cannot also be null in strict mode.
		ChoiceParameter p = (ChoiceParameter) parameter;
		return JsonStringSchema.builder().description("one of " + String.join(", ", p.values())).build();
	}
}
