package dev.nightshift.agent.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StrategyCatalogTest {

	private final StrategyCatalog catalog = new StrategyCatalog();

	@Test
	void findsStrategiesByShortOrFullNameIgnoringCase() {
		assertThat(catalog.forName("tpe").name()).isEqualTo("strategy:tpe");
		assertThat(catalog.forName("strategy:evolution").name()).isEqualTo("strategy:evolution");
		assertThat(catalog.forName(" RANDOM ").name()).isEqualTo("strategy:random");
		assertThat(catalog.names()).containsExactly("random", "tpe", "evolution");
	}

	@Test
	void theModelBasedStrategyIsTheDefault() {
		assertThat(catalog.forName(null).name()).isEqualTo("strategy:tpe");
		assertThat(catalog.forName("").name()).isEqualTo("strategy:tpe");
		assertThat(catalog.defaultStrategy()).isInstanceOf(TreeParzenEstimator.class);
	}

	@Test
	void anUnknownNameIsRefusedWithTheKnownNames() {
		assertThatThrownBy(() -> catalog.forName("bayes"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("Unknown strategy 'bayes'; known strategies: random, tpe, evolution");
	}
}
