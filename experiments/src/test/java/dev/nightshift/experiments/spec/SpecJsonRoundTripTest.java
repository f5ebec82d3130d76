package dev.nightshift.experiments.spec;

import static dev.nightshift.experiments.spec.SpecFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code parseJson(toJson(spec))} gives back the spec, for the SPEC example and for many generated specs. */
class SpecJsonRoundTripTest {

	private final ExperimentSpecParser parser = new ExperimentSpecParser();

	@Test
	void theSpecExampleSurvivesTheCanonicalJson() {
		ExperimentSpec spec = parser.parseYaml(resource("micro-gpt.yaml"));

		assertThat(parser.parseJson(parser.toJson(spec))).isEqualTo(spec);
	}

	@Test
	void theCanonicalJsonIsTheSameForEqualSpecs() {
		ExperimentSpec fromYaml = parser.parseYaml(resource("micro-gpt.yaml"));
		ExperimentSpec fromJson = parser.parseJson(resource("micro-gpt.json"));

		assertThat(parser.toJson(fromYaml)).isEqualTo(parser.toJson(fromJson));
		assertThat(parser.toJson(parser.parseJson(parser.toJson(fromYaml)))).isEqualTo(parser.toJson(fromYaml));
	}

	@Test
	void everyGeneratedSpecSurvivesTheCanonicalJson() {
		Random random = new Random(7);
		for (int i = 0; i < 500; i++) {
			ExperimentSpec spec = randomSpec(random, i);
			String json = parser.toJson(spec);

			assertThat(parser.parseJson(json)).as(json).isEqualTo(spec);
		}
	}

	private static ExperimentSpec randomSpec(Random random, int index) {
		Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
		int count = random.nextInt(8);
		for (int p = 0; p < count; p++) {
			parameters.put("p" + p + "_" + random.nextInt(100), randomParameter(random));
		}
		List<String> editable = new ArrayList<>();
		for (int e = random.nextInt(3); e > 0; e--) {
			editable.add(random.nextBoolean() ? "src/**/*.py" : "model " + e + ".py");
		}
		return new ExperimentSpec(
				"exp-" + index + "." + random.nextInt(1000),
				random.nextBoolean() ? null : "/data/repos/exp " + index,
				"python3 train.py --seed " + random.nextInt(),
				editable,
				new Objective(random.nextBoolean() ? "val_loss" : "eval/acc@1",
						random.nextBoolean() ? Goal.MINIMIZE : Goal.MAXIMIZE),
				new Budget(Duration.ofMillis(1 + random.nextInt(7 * 86_400_000))),
				parameters,
				new Resources(random.nextInt(9)),
				new Noise(1 + random.nextInt(Noise.MAX_REPLICATES), random.nextBoolean() ? 0.0 : random.nextDouble()),
				random.nextBoolean() ? "" : "Lower the loss.\n\"Quotes\", unicode: ✓, tabs:\t.\n");
	}

	private static ParameterSpec randomParameter(Random random) {
		switch (random.nextInt(3)) {
			case 0 -> {
				boolean log = random.nextBoolean();
				double min = log ? Math.pow(10, -8 + random.nextInt(6)) * random.nextDouble() + 1e-12
						: -random.nextDouble() * 100;
				double max = min + random.nextDouble() * 1e3 + 1e-9;
				return random.nextBoolean()
						? FloatParameter.withMidpointDefault(min, max, log)
						: new FloatParameter(min, max, log, min + (max - min) * random.nextDouble());
			}
			case 1 -> {
				boolean log = random.nextBoolean();
				long min = log ? 1 + random.nextInt(100) : random.nextLong() / 4;
				long max = min + 1 + (random.nextLong() & 0xFFFFFFFFFFFFL);
				return random.nextBoolean()
						? IntParameter.withMidpointDefault(min, max, log)
						: new IntParameter(min, max, log, max);
			}
			default -> {
				List<String> values = new ArrayList<>();
				for (int v = 1 + random.nextInt(4); v > 0; v--) {
					values.add(random.nextBoolean() ? "choice-" + v : Double.toString(random.nextDouble()));
				}
				return new ChoiceParameter(values, values.get(random.nextInt(values.size())));
			}
		}
	}
}
