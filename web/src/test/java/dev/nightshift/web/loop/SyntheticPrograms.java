package dev.nightshift.web.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Training programs that finish in a blink: {@code val_loss} is a function of {@code lr} plus a deterministic
 * noise that depends only on how many runs came before (a counter outside the run directories), so a loop test
 * sees the same numbers every time.
 */
final class SyntheticPrograms {

	private SyntheticPrograms() {
	}

	/**
	 * @param landscape a Python expression of {@code lr} (a float), e.g. {@code 2 + (math.log10(lr) + 2) ** 2}
	 * @param noise     the amplitude of the noise added to it
	 */
	static String experiment(Path dir, String landscape, double noise) {
		return experiment(dir, landscape, noise, 0);
	}

	/** As above, each run taking {@code seconds} to train. */
	static String experiment(Path dir, String landscape, double noise, double seconds) {
		try {
			Path source = Files.createDirectories(dir.resolve("program-" + UUID.randomUUID()));
			Path counter = source.resolveSibling(source.getFileName() + ".counter");
			Files.writeString(source.resolve("train.py"), """
					import math, os, sys, time
					counter = sys.argv[1]
					n = int(open(counter).read()) if os.path.exists(counter) else 0
					open(counter, "w").write(str(n + 1))
					lr = float(os.environ["LR"])
					wiggle = ((n * 7919) %% 11 - 5) / 5.0
					print("step=1 loss=%%f" %% (3.0 + wiggle))
					time.sleep(%s)
					print("---")
					print("val_loss: %%.6f" %% (%s + %s * wiggle))
					""".formatted(seconds, landscape, noise));
			return """
					name: synthetic-%s
					source: %s
					command: /usr/bin/python3 train.py %s
					editable: [train.py]
					objective: {metric: val_loss, goal: minimize}
					budget: {run: 1m}
					parameters:
					  lr: {type: float, min: 1.0e-4, max: 3.0e-2, log: true, default: 3.0e-3}
					noise: {replicates: 2, min_delta: 0.0}
					brief: Lower val_loss.
					""".formatted(UUID.randomUUID().toString().substring(0, 8), source, counter);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
