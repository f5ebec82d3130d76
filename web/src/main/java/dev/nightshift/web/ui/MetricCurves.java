package dev.nightshift.web.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.run.MetricPoint;
import dev.nightshift.experiments.run.MetricPoints;
import dev.nightshift.experiments.run.RunId;
import org.springframework.stereotype.Component;

/** A run's metric points as one curve per metric, column-wise for uPlot. */
@Component
class MetricCurves {

	private final MetricPoints points;

	MetricCurves(MetricPoints points) {
		this.points = points;
	}

	/**
	 * One metric's curve.
	 *
	 * @param x     the training step of each point, or its report order where the run gave no steps
	 * @param y     the values; NaN and infinities become gaps, as JSON has no such numbers
	 * @param steps whether {@code x} holds steps
	 */
	record Curve(String name, List<Long> x, List<Double> y, boolean steps) {
	}

	List<Curve> of(RunId run) {
		Map<String, List<MetricPoint>> byName = new LinkedHashMap<>();
		for (MetricPoint point : points.of(run, null)) {
			byName.computeIfAbsent(point.name(), name -> new ArrayList<>()).add(point);
		}
		List<Curve> curves = new ArrayList<>();
		byName.forEach((name, series) -> {
			boolean steps = series.stream().allMatch(p -> p.step() != null);
			List<long[]> order = new ArrayList<>();
			for (int i = 0; i < series.size(); i++) {
				order.add(new long[] { steps ? series.get(i).step() : i + 1, i });
			}
			// uPlot wants x ascending; a run may log an evaluation step out of order. The sort is stable.
			order.sort((a, b) -> Long.compare(a[0], b[0]));
			List<Long> x = new ArrayList<>();
			List<Double> y = new ArrayList<>();
			for (long[] entry : order) {
				x.add(entry[0]);
				y.add(ObjectiveChart.finite(series.get((int) entry[1]).value()));
			}
			curves.add(new Curve(name, x, y, steps));
		});
		return curves;
	}
}
