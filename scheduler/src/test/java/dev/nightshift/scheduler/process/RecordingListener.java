package dev.nightshift.scheduler.process;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.nightshift.scheduler.metrics.ParsedMetric;

/** Keeps every batch a supervised run delivers; safe to read from the test thread while the run delivers. */
final class RecordingListener implements RunListener {

	private final List<MetricBatch> batches = new CopyOnWriteArrayList<>();

	@Override
	public void onMetrics(MetricBatch batch) {
		batches.add(batch);
	}

	List<MetricBatch> batches() {
		return List.copyOf(batches);
	}

	List<ParsedMetric> points() {
		List<ParsedMetric> points = new ArrayList<>();
		batches.forEach(batch -> points.addAll(batch.points()));
		return points;
	}

	List<Double> values(String metric) {
		return points().stream().filter(p -> p.name().equals(metric)).map(ParsedMetric::value).toList();
	}

	TailPosition lastPosition() {
		return batches.get(batches.size() - 1).resumeFrom();
	}
}
