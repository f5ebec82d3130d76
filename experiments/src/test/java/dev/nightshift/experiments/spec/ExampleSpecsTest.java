package dev.nightshift.experiments.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The experiment files shipped in {@code examples/} are valid and point at their own folder. */
class ExampleSpecsTest {

	static List<Path> examples() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("..", "examples"))) {
			return files.map(dir -> dir.resolve("nightshift.yaml")).filter(Files::isRegularFile).sorted().toList();
		}
	}

	@ParameterizedTest
	@MethodSource("examples")
	void exampleSpecificationParses(Path file) throws IOException {
		ExperimentSpec spec = new ExperimentSpecParser().parseYaml(Files.readString(file));
		assertThat(spec.name()).isEqualTo(file.getParent().getFileName().toString());
		assertThat(spec.source()).isEqualTo("examples/" + spec.name());
		assertThat(spec.parameters()).isNotEmpty();
	}
}
