package dev.nightshift.experiments.spec;

import static dev.nightshift.experiments.spec.SpecFixtures.minimalYamlWith;
import static dev.nightshift.experiments.spec.SpecFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentSpecParserTest {

	private final ExperimentSpecParser parser = new ExperimentSpecParser();

	@Test
	void theSpecExampleParsesToTheExpectedRecords() {
		ExperimentSpec spec = parser.parseYaml(resource("micro-gpt.yaml"));

		assertThat(spec.name()).isEqualTo("micro-gpt");
		assertThat(spec.source()).isEqualTo("examples/micro-gpt");
		assertThat(spec.command()).isEqualTo("python3 train.py");
		assertThat(spec.editable()).containsExactly("train.py");
		assertThat(spec.objective()).isEqualTo(new Objective("val_loss", Goal.MINIMIZE));
		assertThat(spec.budget()).isEqualTo(new Budget(Duration.ofMinutes(2)));
		assertThat(spec.parameters()).containsExactly(
				entry("lr", new FloatParameter(1.0e-4, 3.0e-2, true, 3.0e-3)),
				entry("n_embd", new IntParameter(8, 64, false, 16)),
				entry("act", new ChoiceParameter(List.of("tanh", "relu"), "tanh")));
		assertThat(spec.resources()).isEqualTo(new Resources(1));
		assertThat(spec.noise()).isEqualTo(new Noise(2, 0.0));
		assertThat(spec.brief()).isEqualTo("Lower val_loss. Prefer simple changes. Do not change the evaluation.\n");
	}

	@Test
	void theSameSpecInJsonParsesToTheSameRecords() {
		assertThat(parser.parseJson(resource("micro-gpt.json"))).isEqualTo(parser.parseYaml(resource("micro-gpt.yaml")));
		assertThat(parser.parse(resource("micro-gpt.json"), SpecFormat.JSON))
				.isEqualTo(parser.parse(resource("micro-gpt.yaml"), SpecFormat.YAML));
	}

	@Test
	void parametersKeepTheOrderOfTheFile() {
		ExperimentSpec spec = parser.parseYaml(minimalYamlWith("""
                parameters:
                  zeta:  {type: int, min: 1, max: 2}
                  alpha: {type: int, min: 1, max: 2}
                  mid:   {type: int, min: 1, max: 2}
                """));

		assertThat(spec.parameters().keySet()).containsExactly("zeta", "alpha", "mid");
	}

	@Test
	void optionalSectionsTakeTheirDefaults() {
		ExperimentSpec spec = parser.parseYaml(SpecFixtures.MINIMAL_YAML);

		assertThat(spec.source()).isNull();
		assertThat(spec.editable()).isEmpty();
		assertThat(spec.objective().goal()).isEqualTo(Goal.MINIMIZE);
		assertThat(spec.parameters()).isEmpty();
		assertThat(spec.resources()).isEqualTo(new Resources(0));
		assertThat(spec.noise()).isEqualTo(new Noise(2, 0.0));
		assertThat(spec.brief()).isEmpty();
	}

	@Test
	void missingDefaultsAreTheMiddleOfTheRangeOrTheFirstChoice() {
		ExperimentSpec spec = parser.parseYaml(minimalYamlWith("""
                parameters:
                  dropout: {type: float, min: 0.0, max: 0.5}
                  lr:      {type: float, min: 1.0e-4, max: 1.0e-2, log: true}
                  layers:  {type: int, min: 1, max: 4}
                  width:   {type: int, min: 16, max: 1024, log: true}
                  act:     {type: choice, values: [gelu, relu]}
                """));

		assertThat(spec.parameters().get("dropout")).isEqualTo(new FloatParameter(0.0, 0.5, false, 0.25));
		assertThat(((FloatParameter) spec.parameters().get("lr")).defaultValue()).isCloseTo(1.0e-3,
				offset(1e-15));
		assertThat(spec.parameters().get("layers")).isEqualTo(new IntParameter(1, 4, false, 3));
		assertThat(spec.parameters().get("width")).isEqualTo(new IntParameter(16, 1024, true, 128));
		assertThat(spec.parameters().get("act")).isEqualTo(new ChoiceParameter(List.of("gelu", "relu"), "gelu"));
	}

	@Test
	void exponentNumbersAndQuotedNumbersAreReadAsNumbers() {
		ExperimentSpec spec = parser.parseYaml(minimalYamlWith("""
                parameters:
                  lr: {type: float, min: 1e-4, max: "3.0e-2", log: "true", default: '3.0e-3'}
                  n:  {type: int, min: 1.0, max: "1e3", default: "16"}
                """));

		assertThat(spec.parameters().get("lr")).isEqualTo(new FloatParameter(1.0e-4, 3.0e-2, true, 3.0e-3));
		assertThat(spec.parameters().get("n")).isEqualTo(new IntParameter(1, 1000, false, 16));
	}

	@Test
	void choiceValuesWrittenAsNumbersOrWordsAreKeptAsText() {
		ExperimentSpec spec = parser.parseYaml(minimalYamlWith("""
                parameters:
                  batch: {type: choice, values: [32, 64, 128], default: 64}
                  flag:  {type: choice, values: [on, off, yes, no, true]}
                """));

		assertThat(spec.parameters().get("batch")).isEqualTo(new ChoiceParameter(List.of("32", "64", "128"), "64"));
		assertThat(((ChoiceParameter) spec.parameters().get("flag")).values())
				.containsExactly("on", "off", "yes", "no", "true");
	}

	@Test
	void aSingleEditableGlobIsTakenAsAOneElementList() {
		ExperimentSpec spec = parser.parseYaml(minimalYamlWith("editable: train.py\n"));

		assertThat(spec.editable()).containsExactly("train.py");
	}

	@Test
	void goalIsReadIgnoringCase() {
		ExperimentSpec spec = parser.parseYaml("""
                name: acc
                command: ./run.sh
                objective: {metric: val_acc, goal: MAXIMIZE}
                budget: {run: 90}
                """);

		assertThat(spec.objective().goal()).isEqualTo(Goal.MAXIMIZE);
		assertThat(spec.budget().run()).isEqualTo(Duration.ofSeconds(90));
	}

	@Test
	void parameterTypesAreNamedAndExposeABoxedDefault() {
		ExperimentSpec spec = parser.parseYaml(resource("micro-gpt.yaml"));

		assertThat(spec.parameters().values()).extracting(ParameterSpec::type)
				.containsExactly("float", "int", "choice");
		assertThat(spec.parameters().values()).extracting(ParameterSpec::defaultObject)
				.containsExactly(3.0e-3, 16L, "tanh");
	}

	@Test
	void theCanonicalJsonSpellsOutEveryKeyWithDurationsAsText() {
		String json = parser.toJson(parser.parseYaml(resource("micro-gpt.yaml")));

		assertThat(json).startsWith("{\"name\":\"micro-gpt\",\"source\":\"examples/micro-gpt\"")
				.contains("\"budget\":{\"run\":\"2m\"}")
				.contains("\"objective\":{\"metric\":\"val_loss\",\"goal\":\"minimize\"}")
				.contains("\"n_embd\":{\"type\":\"int\",\"min\":8,\"max\":64,\"log\":false,\"default\":16}")
				.contains("\"noise\":{\"replicates\":2,\"min_delta\":0.0}");
	}

	@Test
	void theSpecRecordsAreImmutable() {
		ExperimentSpec spec = parser.parseYaml(resource("micro-gpt.yaml"));

		assertThatThrownBy(() -> spec.parameters().clear())
				.isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> spec.editable().add("x.py"))
				.isInstanceOf(UnsupportedOperationException.class);
	}
}
