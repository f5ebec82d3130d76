package dev.nightshift.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricLineParserTest {

	@Test
	void readsAutoresearchSummaryLine() {
		assertThat(MetricLineParser.parse("val_bpb:          0.997900"))
			.containsExactly(new ParsedMetric("val_bpb", null, 0.9979));
	}

	@Test
	void readsSeveralKatibPairsWithTheStepOfTheirLine() {
		assertThat(MetricLineParser.parse("step=10 loss=3.0e-02 acc=.98"))
			.containsExactly(new ParsedMetric("loss", 10L, 0.03), new ParsedMetric("acc", 10L, 0.98));
	}

	@Test
	void readsPairsAfterProse() {
		assertThat(MetricLineParser.parse("Epoch 3: loss=0.5, acc=0.9; lr=1e-3"))
			.containsExactly(new ParsedMetric("loss", null, 0.5), new ParsedMetric("acc", null, 0.9),
					new ParsedMetric("lr", null, 0.001));
	}

	@Test
	void readsTheNumericFieldsOfAJsonObjectWithItsStep() {
		assertThat(MetricLineParser.parse("{\"step\": 10, \"val_loss\": 1.23, \"name\": \"x\", \"nested\": {\"a\": 1},"
				+ " \"list\": [1], \"ok\": true, \"tokens\": 5000}"))
			.containsExactly(new ParsedMetric("val_loss", 10L, 1.23), new ParsedMetric("tokens", 10L, 5000));
	}

	@Test
	void keepsTheNaNAndInfinityPythonsJsonWrites() {
		List<ParsedMetric> metrics = MetricLineParser.parseJson("{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity}");

		assertThat(metrics).extracting(ParsedMetric::value)
			.containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
	}

	@Test
	void readsTheDictsHuggingFacesTrainerPrints() {
		assertThat(MetricLineParser.parse("{'loss': 2.3, 'learning_rate': 5e-05, 'epoch': 0.1}"))
			.containsExactly(new ParsedMetric("loss", null, 2.3), new ParsedMetric("learning_rate", null, 5e-05),
					new ParsedMetric("epoch", null, 0.1));
	}

	@ParameterizedTest
	@ValueSource(strings = { "nan", "NaN", "inf", "-inf", "Infinity", "+inf", "-nan" })
	void keepsNonFiniteValuesInEveryForm(String word) {
		assertThat(MetricLineParser.parse("val_loss: " + word)).singleElement()
			.satisfies(metric -> assertThat(Double.isFinite(metric.value())).isFalse());
		assertThat(MetricLineParser.parse("step=3 val_loss=" + word)).singleElement()
			.satisfies(metric -> assertThat(Double.isFinite(metric.value())).isFalse());
	}

	@Test
	void tellsTheSignOfInfinity() {
		assertThat(MetricLineParser.parse("loss: -inf")).extracting(ParsedMetric::value)
			.containsExactly(Double.NEGATIVE_INFINITY);
	}

	@ParameterizedTest
	@ValueSource(strings = { "step: 5", "step=5", "{\"step\": 5}" })
	void aStepAloneIsNotAMetric(String line) {
		assertThat(MetricLineParser.parse(line)).isEmpty();
	}

	@Test
	void aStepThatIsNotAWholeNumberIsDropped() {
		assertThat(MetricLineParser.parse("step=1.5 loss=2")).containsExactly(new ParsedMetric("loss", null, 2));
	}

	@ParameterizedTest
	@ValueSource(strings = { "Epoch 1: starting", "http://x", "see http://host/x?a=1&b=2", "12:30:01",
			"time: 12:30:01", "loss: 0.5 (best)", "version: 1.2.3", "", "   ", "lr=abc", "Traceback (most recent call"
					+ " last):", "ratio=1/2", "{not json", "[1, 2, 3]", "value: 0x1p3", "loss: 1d", "x = 3" })
	void proseIsNotAMetric(String line) {
		assertThat(MetricLineParser.parse(line)).isEmpty();
	}

	@Test
	void readsTheTqdmPostfix() {
		assertThat(MetricLineParser.parse(" 40%|████      | 4/10 [00:01<00:02, loss=0.512]"))
			.containsExactly(new ParsedMetric("loss", null, 0.512));
	}

	@Test
	void ignoresTerminalColours() {
		assertThat(MetricLineParser.parse("\u001B[32mval_loss\u001B[0m: 1.25"))
			.containsExactly(new ParsedMetric("val_loss", null, 1.25));
	}

	@Test
	void acceptsNamesWithDotsSlashesAndDashes() {
		assertThat(MetricLineParser.parse("  train/loss-ema.v2:  -3"))
			.containsExactly(new ParsedMetric("train/loss-ema.v2", null, -3));
	}

	@Test
	void splitsProgressOutputAtCarriageReturns() {
		assertThat(MetricLineParser.splitLines("step=1 loss=3\rstep=2 loss=2\r\nval_loss: 1\n\n"))
			.containsExactly("step=1 loss=3", "step=2 loss=2", "val_loss: 1");
	}
}
