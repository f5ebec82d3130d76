package dev.nightshift.scheduler.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks {@code nvidia-smi} for every GPU's load in one call. A failure (not installed, a driver that stopped
 * answering, a time-out) gives no readings; it is logged once, and again only after a success.
 */
final class GpuReader {

	private static final Logger log = LoggerFactory.getLogger(GpuReader.class);

	private static final long TIMEOUT_SECONDS = 10;

	private final String command;
	private boolean failing;

	GpuReader(String command) {
		this.command = command;
	}

	Optional<List<GpuReading>> read() {
		Process process;
		try {
			process = new ProcessBuilder(command, "--query-gpu=" + GpuReading.FIELDS, "--format=csv,noheader,nounits")
				.redirectErrorStream(true)
				.start();
		}
		catch (IOException ex) {
			return failed(command + " could not be started: " + ex.getMessage());
		}
		try (InputStream out = process.getInputStream()) {
			byte[] bytes = out.readNBytes(1 << 20);
			if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return failed(command + " did not answer within " + TIMEOUT_SECONDS + " s");
			}
			String text = new String(bytes, StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				return failed(command + " failed: " + text.lines().findFirst().orElse("exit " + process.exitValue()));
			}
			failing = false;
			return Optional.of(GpuReading.parse(text));
		}
		catch (IOException ex) {
			process.destroyForcibly();
			return failed(command + " failed: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	private Optional<List<GpuReading>> failed(String why) {
		if (!failing) {
			log.warn("GPU telemetry: {}; no GPU samples until it answers again", why);
			failing = true;
		}
		return Optional.empty();
	}
}
