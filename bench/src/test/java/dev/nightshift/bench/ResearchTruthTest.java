package dev.nightshift.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The research benchmark's truth: the program's noise-free loss is the sum of the terms the scoring uses, its
 * patches do what they are said to do (the misspelt one crashes with a NameError naming the typo, its fix runs),
 * and the claims of questions are judged as the benchmark's README says.
 */
class ResearchTruthTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Map<String, Object> DEFAULTS = Map.of("lr", 1e-3, "width", 32, "act", "tanh", "dropout", 0.1,
			"batch", 64, "init", "normal");

	@TempDir
	Path dir;

	@Test
	void theProgramsNoiseFreeLossIsTheSumOfTheTermsTheScoreUses() throws Exception {
		Map<String, Object> params = Map.of("lr", 3e-3, "width", 100, "act", "relu", "dropout", 0.4, "batch", 17,
				"init", "orthogonal");
		double expected = 1.0;
		for (Map.Entry<String, Object> entry : params.entrySet()) {
			expected += ResearchProgram.term(entry.getKey(), entry.getValue());
		}

		assertThat(trueLoss(ResearchProgram.PROGRAM, params)).isCloseTo(expected, within(1e-9));
		// The parameters that do nothing change nothing.
		assertThat(trueLoss(ResearchProgram.PROGRAM, Map.of("lr", 3e-3, "width", 100, "act", "relu", "dropout", 0.0,
				"batch", 256, "init", "normal"))).isCloseTo(expected, within(1e-9));
	}

	@Test
	void thePatchesHelpHurtAndCrashAsTheirEffectsSay() throws Exception {
		double base = trueLoss(ResearchProgram.PROGRAM, DEFAULTS);

		assertThat(trueLoss(apply(ResearchProgram.Patch.COSINE.patch()), DEFAULTS))
			.isCloseTo(base - ResearchProgram.Patch.COSINE.effect, within(1e-9));
		assertThat(trueLoss(apply(ResearchProgram.Patch.CLIP.patch()), DEFAULTS))
			.isCloseTo(base - ResearchProgram.Patch.CLIP.effect, within(1e-9));
		assertThat(trueLoss(apply(ResearchProgram.FIX), DEFAULTS))
			.isCloseTo(base - ResearchProgram.Patch.SMOOTHING.effect, within(1e-9));
		String crash = run(apply(ResearchProgram.Patch.SMOOTHING.patch()), DEFAULTS, 1);
		assertThat(crash).contains("NameError").contains(ResearchProgram.TYPO);
	}

	@Test
	void aDeadEndIsTrueWhereNothingInItsDirectionHelpsBeyondTheNoise() {
		// lr's best is 0.01: higher from 0.001 helps, higher from 0.01 does not, lower from 0.001 only hurts.
		assertThat(Claim.of("Does a higher lr than 0.001 improve val_loss?").deadEndTrue()).isFalse();
		assertThat(Claim.of("Does a higher lr than 0.01 improve val_loss?").deadEndTrue()).isTrue();
		assertThat(Claim.of("Does a lower lr than 0.001 improve val_loss?").refutedTrue()).isTrue();
		// The parameters that do nothing: every dead end on them is true, no REFUTED is.
		assertThat(Claim.of("Does a higher dropout than 0.1 improve val_loss?").deadEndTrue()).isTrue();
		assertThat(Claim.of("Does init = orthogonal instead of normal improve val_loss?").deadEndTrue()).isTrue();
		assertThat(Claim.of("Does init = orthogonal instead of normal improve val_loss?").refutedTrue()).isFalse();
		// Factor by factor, the stricter reading: only what does nothing at all is a true dead end.
		assertThat(Claim.of("Does a higher lr than 0.01 improve val_loss?").deadEndTrueByFactor()).isFalse();
		assertThat(Claim.of("Does a higher dropout than 0.1 improve val_loss?").deadEndTrueByFactor()).isTrue();
		assertThat(Claim.of(ResearchProgram.Patch.CLIP.question).deadEndTrueByFactor()).isFalse();
		// Choices: relu is better than tanh, tanh worse than gelu.
		assertThat(Claim.of("Does act = relu instead of tanh improve val_loss?").supportedTrue()).isTrue();
		assertThat(Claim.of("Does act = tanh instead of gelu improve val_loss?").refutedTrue()).isTrue();
		// Patches, by their words.
		assertThat(Claim.of(ResearchProgram.Patch.COSINE.question).deadEndTrue()).isFalse();
		assertThat(Claim.of(ResearchProgram.Patch.CLIP.question).refutedTrue()).isTrue();
		// Explorations: the parameters' optimum is 1.0; nowhere below 1.01 is within the noise of it, below 1.2 is not.
		assertThat(Claim.of("Where else in the space is val_loss below 1.01, the best so far (run 7)?").deadEndTrue()).isTrue();
		assertThat(Claim.of("Where else in the space is val_loss below 1.2, the best so far (run 7)?").deadEndTrue()).isFalse();
		// Words that name a parameter that matters without saying which way: a dead end on them is false.
		assertThat(Claim.of("Where in the space of lr, width and dropout is val_loss lowest?").deadEndTrue()).isFalse();
		assertThat(Claim.of("Does repeating the best configuration change val_loss?").deadEndTrue()).isTrue();
	}

	private double trueLoss(String program, Map<String, Object> params) throws Exception {
		String output = run(program, params, 0);
		Matcher value = Pattern.compile("\"true_loss\": ([-0-9.e]+)").matcher(output);
		assertThat(value.find()).as("true_loss in %s", output).isTrue();
		return Double.parseDouble(value.group(1));
	}

	private String run(String program, Map<String, Object> params, int exitCode) throws IOException, InterruptedException {
		Files.writeString(dir.resolve("train.py"), program);
		Files.writeString(dir.resolve("params.json"), JSON.writeValueAsString(params));
		ProcessBuilder builder = new ProcessBuilder("python3", "train.py").directory(dir.toFile()).redirectErrorStream(true);
		builder.environment().put("NIGHTSHIFT_PARAMS", dir.resolve("params.json").toString());
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isEqualTo(exitCode);
		return output;
	}

	/** The program with one SEARCH/REPLACE block of {@code train.py} applied. */
	private static String apply(String patch) {
		Matcher block = Pattern.compile("(?s)<<<<<<< SEARCH\n(.*?)\n=======\n(.*?)\n>>>>>>> REPLACE").matcher(patch);
		assertThat(block.find()).isTrue();
		assertThat(ResearchProgram.PROGRAM).containsOnlyOnce(block.group(1));
		return ResearchProgram.PROGRAM.replace(block.group(1), block.group(2));
	}
}
