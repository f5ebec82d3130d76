package dev.nightshift.scheduler.slot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks {@code nvidia-smi} which GPUs the machine has (SPEC section 7). A missing command, "No devices were
 * found" and a driver that does not answer all mean "no GPU", with the reason kept for the log and the UI.
 */
public final class NvidiaSmi {

	static final List<String> QUERY = List.of("--query-gpu=index,name,memory.total,memory.used,utilization.gpu",
			"--format=csv,noheader,nounits");

	private static final Logger log = LoggerFactory.getLogger(NvidiaSmi.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private final String command;

	/** @param command the program to run, {@code nvidia-smi} by default (looked up on PATH) */
	public NvidiaSmi(String command) {
		this.command = command;
	}

	/** What the query found: the GPUs, or none and why. */
	public record Discovery(List<GpuInfo> gpus, String problem) {
	}

	public Discovery discover() {
		List<String> argv = new ArrayList<>();
		argv.add(command);
		argv.addAll(QUERY);
		Process process;
		try {
			process = new ProcessBuilder(argv).redirectErrorStream(true).start();
		}
		catch (IOException notInstalled) {
			return new Discovery(List.of(), command + " is not installed: no GPU");
		}
		try (InputStream out = process.getInputStream()) {
			byte[] bytes = out.readNBytes(1 << 20);
			if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return new Discovery(List.of(), command + " did not answer within " + TIMEOUT.toSeconds() + " s");
			}
			String output = new String(bytes, StandardCharsets.UTF_8);
			return interpret(process.exitValue(), output);
		}
		catch (IOException ex) {
			return new Discovery(List.of(), command + " failed: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Discovery(List.of(), "interrupted while asking " + command);
		}
	}

	static Discovery interpret(int exitCode, String output) {
		String text = output.strip();
		if (text.startsWith("No devices were found")) {
			return new Discovery(List.of(), "nvidia-smi: No devices were found");
		}
		if (exitCode != 0) {
			String reason = text.lines().findFirst().orElse("exit code " + exitCode);
			log.warn("nvidia-smi failed ({}); running without GPUs", reason);
			return new Discovery(List.of(), "nvidia-smi failed: " + reason);
		}
		try {
			return new Discovery(parse(text), null);
		}
		catch (IllegalArgumentException ex) {
			return new Discovery(List.of(), ex.getMessage());
		}
	}

	/** Parses the lines of the CSV query, e.g. {@code 0, NVIDIA H100 80GB HBM3, 81559, 0, 0}. */
	static List<GpuInfo> parse(String text) {
		List<GpuInfo> gpus = new ArrayList<>();
		for (String line : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
			String[] fields = line.split(",\\s*");
			if (fields.length != 5) {
				throw new IllegalArgumentException("unexpected nvidia-smi line: " + line);
			}
			try {
				gpus.add(new GpuInfo(Integer.parseInt(fields[0].strip()), fields[1].strip(), number(fields[2]),
						number(fields[3]), number(fields[4]) == null ? null : number(fields[4]).intValue()));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("unexpected nvidia-smi line: " + line);
			}
		}
		return gpus;
	}

	private static Long number(String field) {
		String value = field.strip();
		return value.startsWith("[") || value.isEmpty() ? null : Long.valueOf(value);
	}
}
