package dev.nightshift.experiments.importance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Test;

/** The forest's functional ANOVA against functions whose important factors are known. */
class ImportanceForestTest {

	private static final List<Factor> THREE_NUMBERS = List.of(Factor.numeric("x1"), Factor.numeric("x2"),
			Factor.numeric("x3"));

	private final ImportanceForest forest = new ImportanceForest(64, 2, 7);

	@Test
	void aLinearFactorDominatesAndIrrelevantOnesGetAlmostNothing() {
		double[] importance = normalised(estimate(THREE_NUMBERS, 120, x -> 10 * x[0], 0.3).shares());

		assertThat(importance[0]).isGreaterThan(0.9);
		assertThat(importance[1]).isLessThan(0.05);
		assertThat(importance[2]).isLessThan(0.05);
	}

	@Test
	void twoFactorsWithEqualEffectsShareTheImportance() {
		double[] importance = normalised(estimate(THREE_NUMBERS, 150, x -> 5 * x[0] + 5 * x[1], 0.2).shares());

		assertThat(importance[0]).isCloseTo(0.5, within(0.12));
		assertThat(importance[1]).isCloseTo(0.5, within(0.12));
		assertThat(importance[2]).isLessThan(0.05);
	}

	@Test
	void aPureInteractionLeavesTheMainEffectsExplainingLittle() {
		// (x1 - ½)(x2 - ½) has no main effect at all: averaged over x2, x1 changes nothing, and vice versa.
		ImportanceForest.Estimate estimate = estimate(THREE_NUMBERS, 300, x -> 40 * (x[0] - 0.5) * (x[1] - 0.5), 0.05);

		assertThat(ImportanceForest.sum(estimate.shares())).isLessThan(0.3);
		assertThat(estimate.outOfBagR2()).isGreaterThan(0.5);
	}

	@Test
	void aProductOfTwoFactorsMakesBothMatter() {
		double[] importance = normalised(estimate(THREE_NUMBERS, 150, x -> 10 * x[0] * x[1], 0.2).shares());

		assertThat(importance[0]).isGreaterThan(0.3);
		assertThat(importance[1]).isGreaterThan(0.3);
		assertThat(importance[2]).isLessThan(0.05);
	}

	@Test
	void aChoiceThatMattersIsFound() {
		List<Factor> factors = List.of(Factor.numeric("lr"), Factor.choice("act", 3), Factor.numeric("dropout"));
		double[] bias = {0, 3, 0.2};
		double[] importance = normalised(
				estimate(factors, 120, x -> bias[(int) x[1]] + 0.5 * x[0], 0.2).shares());

		assertThat(importance[1]).isGreaterThan(0.8);
		assertThat(importance[2]).isLessThan(0.05);
	}

	@Test
	void aConstantObjectiveMakesNothingImportant() {
		ImportanceForest.Estimate estimate = estimate(THREE_NUMBERS, 50, x -> 2.5, 0);

		assertThat(estimate.shares()).containsOnly(0.0);
		assertThat(estimate.outOfBagR2()).isZero();
	}

	@Test
	void pureNoiseIsExplainedByNothing() {
		ImportanceForest.Estimate estimate = estimate(THREE_NUMBERS, 120, x -> 0, 1);

		assertThat(estimate.outOfBagR2()).isLessThan(0.1);
	}

	@Test
	void theSameRunsGiveTheSameImportance() {
		double[] first = estimate(THREE_NUMBERS, 80, x -> x[0] + x[1] * x[2], 0.1).shares();
		double[] second = estimate(THREE_NUMBERS, 80, x -> x[0] + x[1] * x[2], 0.1).shares();

		assertThat(second).containsExactly(first);
	}

	/** {@code n} uniform draws (choices uniform over their values) of {@code f} plus Gaussian noise. */
	private ImportanceForest.Estimate estimate(List<Factor> factors, int n, ToDoubleFunction<double[]> f, double noise) {
		Random random = new Random(11);
		double[][] x = new double[n][factors.size()];
		double[] y = new double[n];
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < factors.size(); j++) {
				x[i][j] = factors.get(j).isChoice() ? random.nextInt(factors.get(j).categories()) : random.nextDouble();
			}
			y[i] = f.applyAsDouble(x[i]) + noise * random.nextGaussian();
		}
		return forest.estimate(factors, x, y);
	}

	private static double[] normalised(double[] shares) {
		double total = ImportanceForest.sum(shares);
		double[] fractions = new double[shares.length];
		for (int i = 0; i < shares.length; i++) {
			fractions[i] = shares[i] / total;
		}
		return fractions;
	}
}
