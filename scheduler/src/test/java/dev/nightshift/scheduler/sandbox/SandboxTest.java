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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
	void commandRunsAsTheHostsNobodyWithoutAnyCapability() {
		SandboxFixture.Outcome outcome = fixture.sandboxed(SandboxFixture.bubblewrap(),
				"id -u; id -g; grep ^Cap /proc/self/status; grep -E '^(Uid|Gid):' /proc/self/status");

		assertThat(outcome.exitCode()).isZero();
		assertThat(outcome.output().lines().toList()).startsWith("65534", "65534")
				.contains("CapEff:\t0000000000000000", "CapPrm:\t0000000000000000", "CapBnd:\t0000000000000000",
						"CapAmb:\t0000000000000000", "Uid:\t65534\t65534\t65534\t65534",
						"Gid:\t65534\t65534\t65534\t65534");
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
	void onlyTheRunsOwnFoldersAreWritable() throws Exception {
		Path outside = SandboxFixture.createDirectories(fixture.home.resolve("repositories/1"));
		String etc = "/etc/nightshift-sandbox-test-" + UUID.randomUUID();
		String tmp = "/tmp/nightshift-sandbox-test-" + UUID.randomUUID();
		String script = String.join("\n",
				"echo x > " + outside.resolve("train.py") + "; echo outside=$?",
				"echo x > " + etc + "; echo etc=$?",
				"echo x > /usr/bin/nightshift-test; echo usr=$?",
				"echo x > " + tmp + "; echo tmp=$?",
				"echo x > " + fixture.workDir.resolve("checkpoint.pt") + "; echo work=$?",
				"echo y > ../out/model.pt; echo out=$?",
				"echo 0 > ../exit; echo control=$?");

		SandboxFixture.Outcome outcome = fixture.sandboxed(SandboxFixture.bubblewrap(), script);

		assertThat(outcome.output()).contains("outside=1", "etc=1", "usr=1", "tmp=0", "work=0", "out=0", "control=1")
				.contains("Read-only file system");
		assertThat(outside.resolve("train.py")).doesNotExist();
		assertThat(Path.of(etc)).doesNotExist();
		assertThat(Path.of(tmp)).as("the sandbox's /tmp is its own").doesNotExist();
		assertThat(fixture.workDir.resolve("checkpoint.pt")).hasContent("x");
		assertThat(fixture.outDir.resolve("model.pt")).hasContent("y");
		assertThat(fixture.runDir.resolve("exit")).doesNotExist();
	}

	@Test
	void aRunDirectoryDeepUnderTmpIsReachedByItsAbsolutePaths() throws Exception {
		// The sandbox's /tmp is a tmpfs of its own: the folders bwrap makes in it on the way to the run directory
		// must let nobody through, or every absolute path of the run contract fails.
		Path deep = Path.of(System.getProperty("java.io.tmpdir"), "nightshift-sandbox-" + UUID.randomUUID(), "a", "home");
		SandboxFixture underTmp = new SandboxFixture(deep);
		try {
			String script = String.join("\n",
					"echo x > " + underTmp.workDir.resolve("checkpoint.pt") + "; echo work=$?",
					"echo y > " + underTmp.outDir.resolve("model.pt") + "; echo out=$?",
					"ls -ld " + underTmp.home.getParent().getParent() + " | cut -c1-10");

			SandboxFixture.Outcome outcome = underTmp.sandboxed(SandboxFixture.bubblewrap(underTmp.home), script);

			assertThat(outcome.output()).contains("work=0", "out=0", "drwxr-xr-x");
			assertThat(underTmp.workDir.resolve("checkpoint.pt")).hasContent("x");
			assertThat(underTmp.outDir.resolve("model.pt")).hasContent("y");
		}
		finally {
			underTmp.close();
			Files.deleteIfExists(deep.getParent());
			Files.deleteIfExists(deep.getParent().getParent());
		}
	}

	@Test
	void rootOnlyFilesStayUnreadableInside() throws Exception {
		Path secret = fixture.home.resolve("root-only.txt");
		Files.writeString(secret, "root-secret");
		Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
		String script = "cat /etc/shadow; echo shadow=$?; cat " + secret + "; echo secret=$?";

		SandboxFixture.Outcome inside = fixture.sandboxed(SandboxFixture.bubblewrap(), script);

		assertThat(fixture.plain(script).output()).contains("root:", "root-secret", "shadow=0");
		assertThat(inside.output()).contains("shadow=1", "secret=1", "Permission denied")
				.doesNotContain("root:", "root-secret");
	}

	@Test
	void theRunDirectorysControlFilesCannotBeReplacedByLinksFromInside() throws Exception {
		Files.writeString(fixture.runDir.resolve("run.log"), "the log\n");
		String script = String.join("\n",
				"ln -sf /etc/shadow ../run.log; echo log=$?",
				"ln -s /etc/passwd ../exit.tmp; echo exit=$?",
				"ln -s /etc/passwd ../stop.tmp; echo stop=$?",
				"mv ../out ../moved; echo move=$?");

		SandboxFixture.Outcome outcome = fixture.sandboxed(SandboxFixture.bubblewrap(), script);

		assertThat(outcome.output()).contains("log=1", "exit=1", "stop=1", "move=1");
		assertThat(fixture.runDir.resolve("run.log")).isRegularFile().hasContent("the log");
		assertThat(fixture.runDir.resolve("exit.tmp")).doesNotExist();
		assertThat(fixture.runDir.resolve("stop.tmp")).doesNotExist();
		assertThat(fixture.outDir).isDirectory();
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
		SandboxFixture.Outcome outcome = fixture.run(fixture.wrap(SandboxFixture.bubblewrap(), List.of("/usr/bin/env"),
				List.of()));

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
	void runCheckoutIsAReadableGitRepositoryInsideEvenWhenTheHomeIsHidden() throws Exception {
		Path repositories = fixture.home.resolve("repositories");
		Workspaces workspaces = new Workspaces(repositories, fixture.home.resolve("runs"));
		SandboxFixture.write(fixture.home.resolve("source/train.py"), "print('val_loss: 1.0')\n");
		workspaces.importSource(1, fixture.home.resolve("source"));
		RunWorkspace run = workspaces.prepareRun(1, 8, null, "train.py\n<<<<<<< SEARCH\nprint('val_loss: 1.0')\n"
				+ "=======\nprint('val_loss: 0.9')\n>>>>>>> REPLACE\n");
		// As the executor does: the run's home trusts the repository, whose files belong to the server.
		Path runHome = SandboxFixture.createDirectories(run.runDir().resolve("home"));
		SandboxFixture.write(runHome.resolve(".gitconfig"), "[safe]\n\tdirectory = *\n");
		SandboxUser.handOver(run.dir(), runHome);
		Bubblewrap bubblewrap = new Bubblewrap(List.of(fixture.home), List.of(repositories));
		Map<String, String> environment = new HashMap<>(SandboxFixture.RUN_ENVIRONMENT);
		environment.put("HOME", runHome.toString());

		SandboxFixture.Outcome outcome = fixture.run(bubblewrap.wrap(List.of("/bin/sh", "-c",
				"git rev-parse HEAD && /usr/bin/python3 train.py && git commit -q --allow-empty -m escape; echo commit=$?"),
				run.runDir(), List.of(run.dir(), runHome), run.dir(), List.of(), environment));

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
		SandboxFixture.Outcome with = fixture.run(fixture.wrap(SandboxFixture.bubblewrap(), List.of("/bin/bash", "-c", check),
				List.of(device, "/dev/nvidia-not-here")));

		assertThat(without.output()).contains("device=1");
		assertThat(with.output()).contains("device=0");
	}

	@Test
	void killingTheSandboxKillsEveryProcessInItEvenOnesInTheirOwnSession() throws Exception {
		Process sandbox = fixture.start(fixture.wrap(SandboxFixture.bubblewrap(),
				List.of("/bin/sh", "-c", "sleep 300 & setsid sleep 300 & echo started; wait"), List.of()));
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
