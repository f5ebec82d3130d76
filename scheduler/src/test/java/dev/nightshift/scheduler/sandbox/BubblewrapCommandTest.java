package dev.nightshift.scheduler.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BubblewrapCommandTest {

	@TempDir
	Path home;

	@Test
	void commandLineIsolatesEverythingAndEndsWithTheCommand() throws Exception {
		Path runDir = Files.createDirectories(home.resolve("runs/7"));
		Bubblewrap bubblewrap = new Bubblewrap(List.of(), List.of(), true);

		List<String> args = bubblewrap.wrap(List.of("python3", "train.py"), runDir, runDir.resolve("work"), List.of(),
				Map.of("LR", "0.003", "CUDA_VISIBLE_DEVICES", ""));

		assertThat(args).startsWith("bwrap", "--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL",
				"--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--disable-userns",
				"--die-with-parent", "--new-session", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
				"--tmpfs", "/tmp");
		assertThat(args).containsSequence("--bind", runDir.toString(), runDir.toString())
				.containsSequence("--chdir", runDir.resolve("work").toString(), "--clearenv",
						"--setenv", "CUDA_VISIBLE_DEVICES", "", "--setenv", "LR", "0.003", "--", "python3", "train.py")
				.endsWith("--", "python3", "train.py");
	}

	@Test
	void hiddenPathsComeBeforeTheRunDirectorySoARunInsideOneStaysVisible() throws Exception {
		Path runDir = Files.createDirectories(home.resolve("runs/7"));
		Path secretFile = Files.writeString(home.resolve("credentials.json"), "{}");
		Path repositories = Files.createDirectories(home.resolve("repositories"));
		Bubblewrap bubblewrap = new Bubblewrap(List.of(home, secretFile, home.resolve("missing")), List.of(repositories),
				false);

		List<String> args = bubblewrap.wrap(List.of("true"), runDir, runDir, List.of(), Map.of());

		assertThat(args).doesNotContain("--disable-userns", home.resolve("missing").toString())
				.containsSequence("--ro-bind", "/dev/null", secretFile.toString());
		assertThat(args.indexOf(home.toString())).isPositive()
				.isLessThan(args.indexOf(repositories.toString()))
				.isLessThan(args.indexOf(runDir.toString()));
		assertThat(args.get(args.indexOf(repositories.toString()) - 1)).isEqualTo("--ro-bind");
		assertThat(args.get(args.indexOf(home.toString()) - 1)).isEqualTo("--tmpfs");
	}

	@Test
	void onlyDevicesThatExistArePassedThrough() throws Exception {
		Path runDir = Files.createDirectories(home.resolve("run"));
		Bubblewrap bubblewrap = new Bubblewrap(List.of(), List.of(), false);

		List<String> args = bubblewrap.wrap(List.of("true"), runDir, runDir, List.of("/dev/null", "/dev/nvidia97"), Map.of());

		assertThat(args).containsSequence("--dev-bind", "/dev/null", "/dev/null").doesNotContain("/dev/nvidia97");
		assertThat(Bubblewrap.nvidiaDevicePaths(List.of(97))).doesNotContain("/dev/nvidia97")
				.allSatisfy(path -> assertThat(Path.of(path)).exists());
	}

	@Test
	void workDirectoryOutsideTheRunDirectoryIsRefused() throws Exception {
		Path runDir = Files.createDirectories(home.resolve("run"));
		Bubblewrap bubblewrap = new Bubblewrap(List.of(), List.of(), false);

		assertThatThrownBy(() -> bubblewrap.wrap(List.of("true"), runDir, home.resolve("elsewhere"), List.of(), Map.of()))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("must lie inside the existing run directory");
		assertThatThrownBy(() -> bubblewrap.wrap(List.of("true"), home.resolve("nope"), home.resolve("nope/work"), List.of(),
				Map.of()))
				.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void defaultHiddenPathsAreTheUsersHomes() {
		assertThat(Bubblewrap.DEFAULT_HIDDEN_PATHS).containsExactly(Path.of("/root"), Path.of("/home"));
	}
}
