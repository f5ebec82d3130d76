package dev.nightshift.experiments.spec;

import static dev.nightshift.experiments.spec.SpecFixtures.minimalYamlWith;
import static dev.nightshift.experiments.spec.SpecFixtures.violationsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code executor} key and {@code slurm} block: read in both formats, validated, written back. */
class ExecutionSpecTest {

	private final ExperimentSpecParser parser = new ExperimentSpecParser();

	@Test
	void aSpecWithoutExecutorLeavesItToTheServerAndItsJsonHasNoExecutorKey() {
		ExperimentSpec spec = parser.parseYaml(SpecFixtures.MINIMAL_YAML);

		assertThat(spec.execution()).isEqualTo(Execution.DEFAULT);
		assertThat(spec.execution().executorOr("slurm")).isEqualTo("slurm");
		assertThat(parser.toJson(spec)).doesNotContain("executor").doesNotContain("slurm");
	}

	@Test
	void theSlurmBlockIsReadFromYamlAndJsonAlikeAndSurvivesTheStoredJson() {
		ExperimentSpec yaml = parser.parseYaml(minimalYamlWith("""
				executor: slurm
				slurm:
				  partition: gpu
				  account: lab-1
				  qos: short
				  sbatch: ["--mem=8G", "--constraint=a100"]
				"""));

		assertThat(yaml.execution()).isEqualTo(
				new Execution("slurm", "gpu", "lab-1", "short", List.of("--mem=8G", "--constraint=a100")));
		String json = parser.toJson(yaml);
		assertThat(parser.parseJson(json)).isEqualTo(yaml);
		assertThat(json).contains("\"executor\":\"slurm\"");
	}

	@Test
	void anUnknownExecutorAndFlagsNightshiftSetsItselfAreRefusedByName() {
		List<SpecViolation> violations = violationsOf(() -> parser.parseYaml(minimalYamlWith("""
				executor: kubernetes
				slurm:
				  partition: "gpu; rm -rf /"
				  sbatch: ["--output=/etc/passwd", "--mem 8G", "--mem=8G"]
				  nodes: 2
				""")));

		assertThat(violations).extracting(SpecViolation::field, SpecViolation::rule).containsExactlyInAnyOrder(
				org.assertj.core.groups.Tuple.tuple("executor", "one-of"),
				org.assertj.core.groups.Tuple.tuple("slurm.partition", "pattern"),
				org.assertj.core.groups.Tuple.tuple("slurm.sbatch[0]", "reserved"),
				org.assertj.core.groups.Tuple.tuple("slurm.sbatch[1]", "pattern"),
				org.assertj.core.groups.Tuple.tuple("slurm.nodes", "unknown-key"));
		assertThat(violations).filteredOn(v -> v.rule().equals("reserved"))
			.singleElement().satisfies(v -> assertThat(v.message()).contains("--output"));
	}

	@Test
	void aSlurmBlockOnALocalExperimentIsAContradiction() {
		List<SpecViolation> violations = violationsOf(() -> parser.parseYaml(minimalYamlWith("""
				executor: local
				slurm: {partition: gpu}
				""")));

		assertThat(violations).extracting(SpecViolation::field).containsExactly("slurm");
	}
}
