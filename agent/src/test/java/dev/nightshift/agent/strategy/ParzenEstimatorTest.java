package dev.nightshift.agent.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.nightshift.agent.strategy.ParzenEstimator.Bandwidth;
import dev.nightshift.experiments.spec.ChoiceParameter;
import dev.nightshift.experiments.spec.FloatParameter;
import dev.nightshift.experiments.spec.Goal;
import org.junit.jupiter.api.Test;

class ParzenEstimatorTest {

	private final SearchSpace line = new SearchSpace(Strategies.spec(Goal.MINIMIZE,
			Map.of("x", new FloatParameter(0, 10, false, 5))));

	@Test
	void theNewest25ObservationsWeighFullyAndOlderOnesLess() {
		double[] weights = ParzenEstimator.observationWeights(30);

		assertThat(weights[0]).isEqualTo(1.0 / 30);
		assertThat(weights[4]).isEqualTo(1.0);
		assertThat(weights[5]).isEqualTo(1.0);
		assertThat(weights[1]).isGreaterThan(weights[0]).isLessThan(weights[2]);
		assertThat(ParzenEstimator.observationWeights(10)).containsOnly(1.0);
	}

	@Test
	void aDensityIntegratesToOneAndPeaksAtItsObservations() {
		for (Bandwidth bandwidth : Bandwidth.values()) {
			ParzenEstimator density = ParzenEstimator.fit(line, new int[] {0},
					List.of(new double[] {2}, new double[] {2.5}, new double[] {8}), bandwidth);

			double integral = 0;
			for (double x = 0.0005; x < 10; x += 0.001) {
				integral += Math.exp(density.logDensity(new double[] {x})) * 0.001;
			}

			assertThat(integral).as("%s", bandwidth).isCloseTo(1.0, within(1e-3));
			assertThat(density.logDensity(new double[] {2.2})).isGreaterThan(density.logDensity(new double[] {5.5}));
			assertThat(density.logDensity(new double[] {10.5})).isEqualTo(Double.NEGATIVE_INFINITY);
		}
	}

	@Test
	void samplesStayInTheRangeAndFollowTheObservations() {
		SearchSpace space = new SearchSpace(Strategies.spec(Goal.MINIMIZE,
				Map.of("act", new ChoiceParameter(List.of("a", "b", "c"), "a"))));
		ParzenEstimator density = ParzenEstimator.fit(space, new int[] {0},
				List.of(new double[] {1}, new double[] {1}, new double[] {1}), Bandwidth.NEIGHBOUR_GAPS);
		SplittableRandom random = new SplittableRandom(1);
		int[] counts = new int[3];
		for (int i = 0; i < 3000; i++) {
			double[] point = new double[1];
			density.sample(random, point);
			counts[(int) point[0]]++;
		}

		assertThat(counts[1]).isGreaterThan(counts[0] * 3).isGreaterThan(counts[2] * 3);
		assertThat(counts[0]).isPositive();
	}
}
