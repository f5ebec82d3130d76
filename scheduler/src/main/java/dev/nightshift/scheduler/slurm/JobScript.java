package dev.nightshift.scheduler.slurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.nightshift.experiments.run.RunId;
import dev.nightshift.experiments.spec.Execution;
import dev.nightshift.scheduler.process.LaunchSpec;

/**
 * One run as one Slurm batch job: the {@code sbatch} options and the batch script. The script starts the run's
 * wrapper (the same one local runs have, which writes {@code pid}, {@code run.log} and {@code exit}) with
 * {@code env -i} and the run contract's variables only, so the command sees exactly what it sees locally and nothing
 * of the server's or the submitting user's environment; only {@code CUDA_VISIBLE_DEVICES} comes from Slurm, which
 * chose the GPUs.
 */
final class JobScript {

	static final String SCRIPT = "slurm-job.sh";
	static final String OUTPUT = "slurm.out";
	static final String JOB_ID = "slurm-job-id";
	static final String NAME_PREFIX = "nightshift-run-";

	private JobScript() {
	}

	/** The job name of a run: how the cluster's users see it in {@code squeue}, and how it is found after a crash. */
	static String jobName(RunId run) {
		return NAME_PREFIX + run.value();
	}

	/** Writes the batch script next to the wrapper and returns it. */
	static Path write(LaunchSpec launch, Path wrapper, int gpus) throws IOException {
		Map<String, String> environment = new TreeMap<>(launch.environment());
		environment.remove("CUDA_VISIBLE_DEVICES");
		List<String> words = new ArrayList<>(List.of("exec", "/usr/bin/env", "-i"));
		environment.forEach((name, value) -> words.add(quote(name + "=" + value)));
		// The only value known on the node alone: the GPUs Slurm gave the job (none when it asked for none).
		words.add(gpus > 0 ? "CUDA_VISIBLE_DEVICES=\"${CUDA_VISIBLE_DEVICES:-}\"" : "CUDA_VISIBLE_DEVICES=");
		words.addAll(List.of("/bin/sh", quote(wrapper)));
		String script = String.join("\n",
				"#!/bin/sh",
				"# Nightshift Slurm job, written by the server: runs the run's wrapper with the run contract's",
				"# environment only. The wrapper writes pid, run.log and exit into the run directory.",
				"cd " + quote(launch.workDir()) + " || exit 1",
				String.join(" ", words),
				"");
		Path file = launch.runDir().resolve(SCRIPT);
		Files.writeString(file, script);
		return file;
	}

	/** The {@code sbatch} arguments for the run. */
	static List<String> sbatchArguments(RunId run, LaunchSpec launch, Path script, int gpus, Execution execution) {
		List<String> args = new ArrayList<>(List.of("--parsable", "--job-name=" + jobName(run),
				"--output=" + launch.runDir().resolve(OUTPUT), "--open-mode=append", "--export=NONE",
				"--chdir=" + launch.workDir(), "--time=" + timeLimit(launch.budget().plus(launch.grace())),
				// Nightshift requeues a run lost to a node failure or preemption once, as a new run: Slurm must not.
				"--no-requeue"));
		if (gpus > 0) {
			args.add("--gres=gpu:" + gpus);
		}
		if (execution.partition() != null) {
			args.add("--partition=" + execution.partition());
		}
		if (execution.account() != null) {
			args.add("--account=" + execution.account());
		}
		if (execution.qos() != null) {
			args.add("--qos=" + execution.qos());
		}
		args.addAll(execution.sbatchFlags());
		args.add(script.toString());
		return args;
	}

	/** Slurm's {@code minutes:seconds}, rounded up to a whole second. */
	static String timeLimit(Duration limit) {
		long seconds = Math.max(1, (limit.toMillis() + 999) / 1000);
		return (seconds / 60) + ":" + String.format("%02d", seconds % 60);
	}

	/** The job id {@code sbatch --parsable} printed ({@code id} or {@code id;cluster}). */
	static String jobId(String sbatchOutput) {
		String line = sbatchOutput.strip().lines().reduce((a, b) -> b).orElse("");
		String id = line.contains(";") ? line.substring(0, line.indexOf(';')) : line;
		if (!id.matches("[0-9]+(_[0-9]+)?")) {
			throw new SlurmException("sbatch printed no job id: " + sbatchOutput.strip());
		}
		return id;
	}

	static String quote(Object word) {
		return "'" + word.toString().replace("'", "'\"'\"'") + "'";
	}
}
