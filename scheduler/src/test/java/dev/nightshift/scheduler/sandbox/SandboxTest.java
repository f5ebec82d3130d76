package dev.nightshift.scheduler.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nightshift.scheduler.workspace.RunWorkspace;
import dev.nightshift.scheduler.workspace.Workspaces;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves the sandbox with the real bwrap: each test runs a command inside that tries to get out, and, where a
 * failure could have another cause, runs the same command outside to show that it works there.
 */
class SandboxTest {

	SandboxFixture fixture;

	@BeforeAll
	static void bubblewrapIsInstalled() {
		assumeTrue(Bubblewrap.available(), "bwrap is not installed (apt-get install -y bubblewrap)");
	}

	@BeforeEach
	void setUp() {
		fixture = new SandboxFixture();
	}

	@AfterEach
	void tearDown() throws Exception {
		fixture.close();
	}

	@Test
	void commandRunsAsNobodyWithoutAnyCapability() {
		SandboxFixture.Outcome outcome = fixture.sandboxed(SandboxFixture.bubblewrap(),
				"id -u; id -g; grep ^Cap /proc/self/status");

		assertThat(outcome.exitCode()).isZero();
		assertThat(outcome.output().lines().toList()).startsWith("65534", "65534")
				.contains("CapEff:\t0000000000000000", "CapPrm:\t0000000000000000", "CapBnd:\t0000000000000000",
						"CapAmb:\t0000000000000000");
	}

	@Test
	void commandCannotConnectToTheServersLoopback() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			String connect = "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + " && echo connected";

			assertThat(fixture.plain(connect).output()).contains("connected");
			SandboxFixture.Outcome inside = fixture.sandboxed(SandboxFixture.bubblewrap(), connect);

			assertThat(inside.exitCode()).isNotZero();
			assertThat(inside.output()).doesNotContain("connected").contains("Connection refused");
		}
	}

	@Test
	void onlyTheRunDirectoryIsWritable() throws Exception {
		Path outside = SandboxFixture.createDirectories(fixture.home.resolve("repositories/1"));
		String etc = "/etc/nightshift-sandbox-test-" + UUID.randomUUID();
		String tmp = "/tmp/nightshift-sandbox-test-" + UUID.randomUUID();
		String script = String.join("\n",
				"echo x > " + outside.resolve("train.py") + "; echo outside=$?",
				"echo x > " + etc + "; echo etc=$?",
				"echo x > /usr/bin/nightshift-test; echo usr=$?",
				"echo x > " + tmp + "; echo tmp=$?",
				"echo x > " + fixture.workDir.resolve("checkpoint.pt") + "; echo work=$?",
				"mkdir -p ../out && echo y > ../out/metrics.jsonl; echo run=$?");

		SandboxFixture.Outcome outcome = fixture.sandboxed(SandboxFixture.bubblewrap(), script);

		assertThat(outcome.output()).contains("outside=1", "etc=1", "usr=1", "tmp=0", "work=0", "run=0")
				.contains("Read-only file system");
		assertThat(outside.resolve("train.py")).doesNotExist();
		assertThat(Path.of(etc)).doesNotExist();
		assertThat(Path.of(tmp)).as("the sandbox's /tmp is its own").doesNotExist();
		assertThat(fixture.workDir.resolve("checkpoint.pt")).hasContent("x");
		assertThat(fixture.runDir.resolve("out/metrics.jsonl")).hasContent("y");
	}

	@Test
	void commandCannotMakeTheFileSystemWritableAgain() {
		String script = String.join("\n",
				"mount -o remount,rw / 2>&1; echo remount=$?",
				"mount --bind " + fixture.workDir + " /usr 2>&1; echo bind=$?",
				"unshare -r -m sh -c 'mount -o remount,rw /' 2>&1; echo nested=$?",
				"touch /usr/nightshift-test; echo touch=$?");

		SandboxFixture.Outcome outcome = fixture.sandboxed(SandboxFixture.bubblewrap(), script);

		assertThat(outcome.output()).contains("remount=32", "bind=32", "touch=1").doesNotContain("nested=0");
		assertThat(Path.of("/usr/nightshift-test")).doesNotExist();
	}

	@Test
	void commandSeesOnlyTheEnvironmentItIsGiven() {
		SandboxFixture.Outcome outcome = fixture.run(SandboxFixture.bubblewrap().wrap(List.of("/usr/bin/env"),
				fixture.runDir, fixture.workDir, List.of(), SandboxFixture.RUN_ENVIRONMENT));

		assertThat(fixture.plain("env").output()).contains("OPENAI_API_KEY=secret");
		assertThat(outcome.exitCode()).isZero();
		assertThat(outcome.output().lines().toList()).containsExactlyInAnyOrder("PATH=/usr/local/bin:/usr/bin:/bin",
				"NIGHTSHIFT_RUN_ID=7", "LR=0.003", "PWD=" + fixture.workDir);
	}

	@Test
	void hiddenFoldersAreEmptyWhileTheRunDirectoryInsideOneStaysVisible() throws Exception {
		Path rootSecret = Path.of("/root/nightshift-secret-test-" + UUID.randomUUID());
		Path database = SandboxFixture.createDirectories(fixture.home.resolve("db"));
		SandboxFixture.write(database.resolve("PG_VERSION"), "17");
		SandboxFixture.write(fixture.workDir.resolve("train.py"), "print(1)\n");
		Path repositories = SandboxFixture.createDirectories(fixture.home.resolve("repositories"));
		SandboxFixture.write(repositories.resolve("1/README.md"), "readable\n");
		Bubblewrap bubblewrap = new Bubblewrap(List.of(fixture.home), List.of(repositories));
		try {
			Files.writeString(rootSecret, "sk-secret");
			String script = String.join("\n",
					"cat " + rootSecret + "; echo root=$?",
					"ls -A " + database + " | wc -l",
					"cat " + fixture.workDir.resolve("train.py"),
					"cat " + repositories.resolve("1/README.md"),
					"touch " + repositories.resolve("1/new.py") + "; echo repositories=$?");

			SandboxFixture.Outcome outcome = fixture.sandboxed(bubblewrap, script);

			assertThat(fixture.plain("cat " + rootSecret).output()).isEqualTo("sk-secret");
			assertThat(outcome.output()).doesNotContain("sk-secret").contains("root=1", "print(1)", "readable",
					"repositories=1");
			assertThat(outcome.output().lines().toList()).contains("0");
		}
		finally {
			Files.deleteIfExists(rootSecret);
		}
	}

	@Test
	void runCheckoutIsAReadableGitRepositoryInsideEvenWhenTheHomeIsHidden() {
		Path repositories = fixture.home.resolve("repositories");
		Workspaces workspaces = new Workspaces(repositories, fixture.home.resolve("runs"));
		SandboxFixture.write(fixture.home.resolve("source/train.py"), "print('val_loss: 1.0')\n");
		workspaces.importSource(1, fixture.home.resolve("source"));
		RunWorkspace run = workspaces.prepareRun(1, 7, null, "train.py\n<<<<<<< SEARCH\nprint('val_loss: 1.0')\n"
				+ "=======\nprint('val_loss: 0.9')\n>>>>>>> REPLACE\n");
		Bubblewrap bubblewrap = new Bubblewrap(List.of(fixture.home), List.of(repositories));

		SandboxFixture.Outcome outcome = fixture.run(bubblewrap.wrap(List.of("/bin/sh", "-c",
				"git rev-parse HEAD && /usr/bin/python3 train.py && git commit -q --allow-empty -m escape; echo commit=$?"),
				run.runDir(), run.dir(), List.of(), SandboxFixture.RUN_ENVIRONMENT));

		assertThat(outcome.output().lines().toList()).startsWith(run.commit(), "val_loss: 0.9").doesNotContain("commit=0");
	}

	@Test
	void serverProcessesAreInvisibleInside() {
		long serverPid = ProcessHandle.current().pid();

		SandboxFixture.Outcome outcome = fixture.sandboxed(SandboxFixture.bubblewrap(),
				"test -e /proc/" + serverPid + "/environ; echo server=$?; ls /proc | grep -c '^[0-9]'");

		assertThat(outcome.output()).contains("server=1");
		assertThat(Integer.parseInt(outcome.output().lines().reduce((a, b) -> b).orElseThrow().strip())).isLessThan(10);
	}

	@Test
	void givenDevicesArePassedThroughAndOthersAreNot() {
		String device = List.of("/dev/nvidia0", "/dev/fuse", "/dev/kmsg", "/dev/loop-control").stream()
				.filter(path -> Files.exists(Path.of(path))).findFirst().orElse(null);
		assumeTrue(device != null, "no device file to pass through on this machine");
		String check = "test -e " + device + "; echo device=$?";

		SandboxFixture.Outcome without = fixture.sandboxed(SandboxFixture.bubblewrap(), check);
		SandboxFixture.Outcome with = fixture.run(SandboxFixture.bubblewrap().wrap(List.of("/bin/bash", "-c", check),
				fixture.runDir, fixture.workDir, List.of(device, "/dev/nvidia-not-here"), SandboxFixture.RUN_ENVIRONMENT));

		assertThat(without.output()).contains("device=1");
		assertThat(with.output()).contains("device=0");
	}

	@Test
	void killingTheSandboxKillsEveryProcessInItEvenOnesInTheirOwnSession() throws Exception {
		Process sandbox = fixture.start(SandboxFixture.bubblewrap().wrap(
				List.of("/bin/sh", "-c", "sleep 300 & setsid sleep 300 & echo started; wait"), fixture.runDir,
				fixture.workDir, List.of(), SandboxFixture.RUN_ENVIRONMENT));
		try (BufferedReader output = new BufferedReader(new InputStreamReader(sandbox.getInputStream(), StandardCharsets.UTF_8))) {
			assertThat(output.readLine()).isEqualTo("started");
			List<ProcessHandle> inside = sandbox.descendants().toList();
			// bwrap's init, sh and its two children, forked before "started" was printed
			assertThat(inside).hasSizeGreaterThanOrEqualTo(4);

			sandbox.destroyForcibly();

			for (ProcessHandle process : inside) {
				process.onExit().get(10, TimeUnit.SECONDS);
			}
			assertThat(inside).noneMatch(ProcessHandle::isAlive);
		}
		finally {
			sandbox.destroyForcibly();
		}
	}
}
