package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.experiment.Experiment;
import dev.nightshift.experiments.run.MetricPoint;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.Run;
import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.web.WebIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Curves of a run that logged every step: thinned for the chart, with what matters kept. */
@WebIntegrationTest
class MetricCurvesTest {

	@Autowired
	Seed seed;

	@Autowired
	MetricPoints metrics;

	@Autowired
	MetricCurves curves;

	@Test
	void aLongCurveIsThinnedButKeepsItsSpikeItsDivergenceItsEndsAndItsOrder() {
		Experiment experiment = seed.experiment();
		Run run = seed.finished(experiment, seed.proposal(experiment, "Does a long run help?", Map.of("lr", 0.01), null,
				"Longer is better."), RunStatus.SUCCEEDED, 1.0);
		List<MetricPoint> points = new ArrayList<>();
		Instant now = Instant.now();
		int steps = 50_000;
		for (int step = 0; step < steps; step++) {
			double loss = step == 31_337 ? 99.0 : step == 40_000 ? Double.NaN : 4.0 - step / 20_000.0;
			points.add(new MetricPoint(points.size(), "loss", (long) step, loss, now));
			if (step % 1000 == 0) {
				points.add(new MetricPoint(points.size(), "val_loss", (long) step, 4.0 - step / 25_000.0, now));
			}
		}
		metrics.append(run.id(), points);

		List<MetricCurves.Curve> drawn = curves.of(run.id());

		MetricCurves.Curve loss = drawn.stream().filter(c -> c.name().equals("loss")).findFirst().orElseThrow();
		assertThat(loss.x()).hasSizeLessThanOrEqualTo(MetricCurves.MAX_POINTS + 1).hasSizeGreaterThan(MetricCurves.MAX_POINTS / 2);
		assertThat(loss.x()).isSorted().startsWith(0L).endsWith((long) steps - 1);
		assertThat(loss.y()).contains(99.0).containsNull();
		assertThat(loss.x().get(loss.y().indexOf(99.0))).isEqualTo(31_337L);
		assertThat(loss.x().get(loss.y().indexOf(null))).isEqualTo(40_000L);
		// A short curve is drawn whole.
		MetricCurves.Curve valLoss = drawn.stream().filter(c -> c.name().equals("val_loss")).findFirst().orElseThrow();
		assertThat(valLoss.x()).hasSize(steps / 1000);
		assertThat(valLoss.steps()).isTrue();
	}
}
