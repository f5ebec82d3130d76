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
	void asRootTheCommandLineIsolatesEverythingAndDropsToTheHostsNobodyBeforeTheCommand() throws Exception {
		Path runDir = Files.createDirectories(home.resolve("runs/7"));
		Path work = Files.createDirectories(runDir.resolve("work"));
		Bubblewrap bubblewrap = new Bubblewrap(List.of(), List.of(), true, true);

		List<String> args = bubblewrap.wrap(List.of("python3", "train.py"), runDir, List.of(work), work, List.of(),
				Map.of("LR", "0.003", "CUDA_VISIBLE_DEVICES", ""));

		assertThat(args).startsWith("bwrap", "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
				"--cap-add", "CAP_SETPCAP", "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
				"--die-with-parent", "--new-session", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
				"--perms", "1777", "--tmpfs", "/tmp");
		assertThat(args).doesNotContain("--unshare-user")
				.containsSequence("--ro-bind", runDir.toString(), runDir.toString(), "--bind", work.toString(),
						work.toString())
				.containsSequence("--chdir", work.toString(), "--clearenv",
						"--setenv", "CUDA_VISIBLE_DEVICES", "", "--setenv", "LR", "0.003", "--")
				.containsSequence("--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
						"--bounding-set=-all", "--", "python3", "train.py")
				.endsWith("--", "python3", "train.py");
		assertThat(args.get(args.indexOf("--reuid=65534") - 1)).endsWith("setpriv");
	}

	@Test
	void withoutRootTheCommandRunsAsNobodyOfItsOwnUserNamespace() throws Exception {
		Path runDir = Files.createDirectories(home.resolve("runs/7"));
		Bubblewrap bubblewrap = new Bubblewrap(List.of(), List.of(), true, false);

		List<String> args = bubblewrap.wrap(List.of("python3", "train.py"), runDir, List.of(), runDir, List.of(), Map.of());

		assertThat(args).startsWith("bwrap", "--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL")
				.contains("--disable-userns")
				.doesNotContain("--reuid=65534")
				.endsWith("--", "python3", "train.py");
	}

	@Test
	void containmentIsOnlyAPidNamespaceAndASessionOfItsOwn() {
		List<String> asRoot = new Bubblewrap(List.of(), List.of(), true, true).contain(List.of("sh", "train.sh"), home);
		List<String> asUser = new Bubblewrap(List.of(), List.of(), true, false).contain(List.of("sh", "train.sh"), home);

		assertThat(asRoot).containsExactly("bwrap", "--unshare-pid", "--die-with-parent", "--new-session", "--dev-bind",
				"/", "/", "--proc", "/proc", "--chdir", home.toString(), "--", "sh", "train.sh");
		assertThat(asUser).startsWith("bwrap", "--unshare-user", "--unshare-pid");
	}

	@Test
	void hiddenPathsComeBeforeTheRunDirectoryAndTheRunDirectoryBeforeItsWritableFolders() throws Exception {
		Path runDir = Files.createDirectories(home.resolve("runs/7"));
		Path out = Files.createDirectories(runDir.resolve("out"));
		Path secretFile = Files.writeString(home.resolve("credentials.json"), "{}");
		Path repositories = Files.createDirectories(home.resolve("repositories"));
		Bubblewrap bubblewrap = new Bubblewrap(List.of(home, secretFile, home.resolve("missing")), List.of(repositories),
				false, true);

		List<String> args = bubblewrap.wrap(List.of("true"), runDir, List.of(out), runDir, List.of(), Map.of());

		assertThat(args).doesNotContain("--disable-userns", home.resolve("missing").toString())
				.containsSequence("--ro-bind", "/dev/null", secretFile.toString());
		assertThat(args.indexOf(home.toString())).isPositive()
				.isLessThan(args.indexOf(repositories.toString()))
				.isLessThan(args.indexOf(runDir.toString()));
		assertThat(args.indexOf(runDir.toString())).isLessThan(args.indexOf(out.toString()));
		assertThat(args.get(args.indexOf(repositories.toString()) - 1)).isEqualTo("--ro-bind");
		assertThat(args.get(args.indexOf(runDir.toString()) - 1)).isEqualTo("--ro-bind");
		assertThat(args.get(args.indexOf(out.toString()) - 1)).isEqualTo("--bind");
		assertThat(args.get(args.indexOf(home.toString()) - 1)).isEqualTo("--tmpfs");
	}

	@Test
	void onlyDevicesThatExistArePassedThrough() throws Exception {
		Path runDir = Files.createDirectories(home.resolve("run"));
		Bubblewrap bubblewrap = new Bubblewrap(List.of(), List.of(), false, true);

		List<String> args = bubblewrap.wrap(List.of("true"), runDir, List.of(), runDir, List.of("/dev/null", "/dev/nvidia97"),
				Map.of());

		assertThat(args).containsSequence("--dev-bind", "/dev/null", "/dev/null").doesNotContain("/dev/nvidia97");
		assertThat(Bubblewrap.nvidiaDevicePaths(List.of(97))).doesNotContain("/dev/nvidia97")
				.allSatisfy(path -> assertThat(Path.of(path)).exists());
	}

	@Test
	void workDirectoryOutsideTheRunDirectoryIsRefused() throws Exception {
		Path runDir = Files.createDirectories(home.resolve("run"));
		Bubblewrap bubblewrap = new Bubblewrap(List.of(), List.of(), false, true);

		assertThatThrownBy(() -> bubblewrap.wrap(List.of("true"), runDir, List.of(), home.resolve("elsewhere"), List.of(),
				Map.of()))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("must lie inside the existing run directory");
		assertThatThrownBy(() -> bubblewrap.wrap(List.of("true"), home.resolve("nope"), List.of(), home.resolve("nope/work"),
				List.of(), Map.of()))
				.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void writablePathsOutsideTheRunDirectoryOrTheRunDirectoryItselfAreRefused() throws Exception {
		Path runDir = Files.createDirectories(home.resolve("run"));
		Path link = Files.createSymbolicLink(runDir.resolve("link"), home);
		Bubblewrap bubblewrap = new Bubblewrap(List.of(), List.of(), false, true);

		for (Path writable : List.of(home, runDir, link, runDir.resolve("missing"))) {
			assertThatThrownBy(() -> bubblewrap.wrap(List.of("true"), runDir, List.of(writable), runDir, List.of(),
					Map.of()))
					.as(writable.toString())
					.isInstanceOf(IllegalArgumentException.class)
					.hasMessageContaining("writable path");
		}
	}

	@Test
	void defaultHiddenPathsAreTheUsersHomes() {
		assertThat(Bubblewrap.DEFAULT_HIDDEN_PATHS).containsExactly(Path.of("/root"), Path.of("/home"));
	}
}
