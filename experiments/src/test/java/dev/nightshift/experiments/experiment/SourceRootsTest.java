package dev.nightshift.experiments.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.nightshift.experiments.spec.SpecValidationException;
import dev.nightshift.experiments.spec.SpecViolation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, item 6: {@code source: /etc} was imported, {@code shadow} included. */
class SourceRootsTest {

	@TempDir
	Path work;

	private SourceRoots roots() {
		return new SourceRoots(work.resolve("projects"), List.of(work.resolve("also")), work.resolve("home"));
	}

	@Test
	void systemFoldersAndTheRootOfTheFileSystemAreRefusedNamingTheRule() {
		for (String source : List.of("/etc", "/", "/proc", "/sys", "/dev", "/boot", "/var", "/root", "/etc/ssh", "/proc/1")) {
			assertThatThrownBy(() -> roots().resolve(source)).as(source)
				.isInstanceOfSatisfying(SpecValidationException.class, ex -> assertThat(ex.violations())
					.extracting(SpecViolation::field, SpecViolation::rule)
					.containsExactly(org.assertj.core.groups.Tuple.tuple("source", "source-root")));
		}
	}

	@Test
	void aLinkInsideAnAllowedRootThatLeadsToEtcIsRefused() throws Exception {
		Path projects = Files.createDirectories(work.resolve("projects"));
		Files.createSymbolicLink(projects.resolve("innocent"), Path.of("/etc"));
		assertThatThrownBy(() -> roots().resolve("innocent")).isInstanceOf(SpecValidationException.class)
			.hasMessageContaining("/etc");
		assertThatThrownBy(() -> roots().check(projects.resolve("innocent"))).isInstanceOf(SpecValidationException.class);
		// A link to a folder under a root is fine.
		Path real = Files.createDirectories(work.resolve("also/real-project"));
		Files.createSymbolicLink(projects.resolve("alias"), real);
		assertThat(roots().resolve("alias")).isEqualTo(projects.resolve("alias"));
	}

	@Test
	void projectFoldersUnderTheRootsAreAcceptedRelativeOrAbsolute() throws Exception {
		Files.createDirectories(work.resolve("projects/micro-gpt"));
		assertThat(roots().resolve("micro-gpt")).isEqualTo(work.resolve("projects/micro-gpt"));
		assertThat(roots().resolve(work.resolve("also/not-there-yet").toString())).isEqualTo(work.resolve("also/not-there-yet"));
	}

	@Test
	void foldersOutsideTheRootsOrAroundTheHomeAreRefused() throws Exception {
		Files.createDirectories(work.resolve("home/repos"));
		assertThatThrownBy(() -> roots().resolve("../elsewhere")).isInstanceOf(SpecValidationException.class)
			.hasMessageContaining("outside the allowed source roots");
		assertThatThrownBy(() -> roots().resolve("/tmp")).isInstanceOf(SpecValidationException.class);
		SourceRoots aroundHome = new SourceRoots(work, List.of(), work.resolve("home"));
		assertThatThrownBy(() -> aroundHome.resolve("home/repos")).isInstanceOf(SpecValidationException.class)
			.hasMessageContaining("NIGHTSHIFT_HOME");
		assertThatThrownBy(() -> aroundHome.resolve(".")).isInstanceOf(SpecValidationException.class)
			.hasMessageContaining("NIGHTSHIFT_HOME");
	}

	@Test
	void rootIsAllowedOnlyUnderARootInsideIt() {
		// As root the user's home, a default root, is /root: projects there are fine, /root itself is not.
		SourceRoots asRoot = new SourceRoots(work, List.of(Path.of("/root")), work.resolve("home"));
		assertThat(asRoot.resolve("/root/projects/micro-gpt")).isEqualTo(Path.of("/root/projects/micro-gpt"));
		assertThatThrownBy(() -> asRoot.resolve("/root")).isInstanceOf(SpecValidationException.class);
		// A root of / does not open the system folders.
		SourceRoots everything = new SourceRoots(work, List.of(Path.of("/")), work.resolve("home"));
		assertThatThrownBy(() -> everything.resolve("/etc/ssh")).isInstanceOf(SpecValidationException.class);
		assertThatThrownBy(() -> everything.resolve("/root/projects")).isInstanceOf(SpecValidationException.class);
		// Nor does a server started in /, whose relative sources resolve against /.
		SourceRoots startedInRoot = new SourceRoots(Path.of("/"), List.of(work.resolve("also")), work.resolve("home"));
		assertThatThrownBy(() -> startedInRoot.resolve("opt/somebody-elses")).isInstanceOf(SpecValidationException.class)
			.hasMessageContaining("outside the allowed source roots");
	}
}
