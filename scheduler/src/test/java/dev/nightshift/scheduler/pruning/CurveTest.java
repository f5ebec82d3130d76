package dev.nightshift.scheduler.pruning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightshift.experiments.spec.Goal;
import org.junit.jupiter.api.Test;

class CurveTest {

	@Test
	void valueAtIsTheLastValueReportedAtOrBeforeThePoint() {
		Curve curve = Curves.every100(Axis.STEP, 3.0, 2.0, 2.5);

		assertThat(curve.valueAt(50)).isNaN();
		assertThat(curve.valueAt(100)).isEqualTo(3.0);
		assertThat(curve.valueAt(250)).isEqualTo(2.0);
		assertThat(curve.valueAt(1000)).isEqualTo(2.5);
	}

	@Test
	void bestUpToFollowsTheGoalAndSkipsNonFiniteValues() {
		Curve curve = Curves.every100(Axis.STEP, 3.0, Double.NaN, 1.0, 2.0);

		assertThat(curve.bestUpTo(200, Goal.MINIMIZE)).isEqualTo(3.0);
		assertThat(curve.bestUpTo(300, Goal.MINIMIZE)).isEqualTo(1.0);
		assertThat(curve.best(Goal.MINIMIZE)).isEqualTo(1.0);
		assertThat(curve.best(Goal.MAXIMIZE)).isEqualTo(3.0);
	}

	@Test
	void aPointBeforeTheLastCountsAtTheLastAndTheCurveGrowsPastItsFirstArray() {
		Curve curve = new Curve(Axis.ELAPSED);
		for (int i = 1; i <= 40; i++) {
			curve.add(i, 40 - i);
		}
		curve.add(5, 100);

		assertThat(curve.size()).isEqualTo(41);
		assertThat(curve.lastAt()).isEqualTo(40);
		assertThat(curve.previousAt()).isEqualTo(40);
		assertThat(curve.valueAt(40)).isEqualTo(100);
		assertThat(curve.valueAt(39.5)).isEqualTo(1);
	}
}
