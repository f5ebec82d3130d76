package dev.nightshift.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.nightshift.experiments.run.RunStatus;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Sort;

/** The small pure parts of the pages: the runs table's query string, diffs, number formats. */
class PageHelpersTest {

	@Test
	void runsQueryIsLenientWithStaleLinksAndWritesShortOnes() {
		RunsQuery query = RunsQuery.parse(List.of("failed,OOM", "nonsense", "FAILED"), "password", 0, 100_000);
		assertThat(query.statuses()).containsExactly(RunStatus.FAILED, RunStatus.OOM);
		assertThat(query.sort()).isEqualTo("-id");
		assertThat(query.page()).isEqualTo(1);
		assertThat(query.size()).isEqualTo(RunsQuery.MAX_SIZE);
		assertThat(query.pageLink(3)).isEqualTo("?status=FAILED,OOM&page=3&size=200");

		RunsQuery plain = RunsQuery.parse(null, null, null, null);
		assertThat(plain.pageLink(1)).isEmpty();
		assertThat(plain.sortLink("objective")).isEqualTo("?sort=objective");
		assertThat(plain.sortLink("id")).isEqualTo("?sort=id");
		assertThat(RunsQuery.parse(null, "objective", 2, null).sortLink("objective")).isEqualTo("?sort=-objective");
		assertThat(RunsQuery.parse(null, "-objective", 1, null).arrow("objective")).isEqualTo("▼");
	}

	@Test
	void runsWithoutAnObjectiveSortLastAndTiesByNewest() {
		Sort sort = RunsQuery.parse(null, "objective", 4, 25).pageable().getSort();
		assertThat(sort.getOrderFor("objective").getNullHandling()).isEqualTo(Sort.NullHandling.NULLS_LAST);
		assertThat(sort.getOrderFor("id").isDescending()).isTrue();
		assertThat(RunsQuery.parse(null, "objective", 4, 25).pageable().getOffset()).isEqualTo(75);
	}

	@Test
	void unifiedDiffLinesCarryTheirKindAndNumbersFromTheHunkHeaders() {
		List<DiffView.Line> lines = DiffView.of(Seed.UNIFIED_DIFF + """
				diff --git a/model.py b/model.py
				--- a/model.py
				+++ b/model.py
				@@ -1 +1,2 @@
				-x = 1
				+x = 2
				+y = 3
				\\ No newline at end of file
				""");
		assertThat(lines).extracting(DiffView.Line::kind)
			.containsExactly("file", "file", "file", "hunk", "ctx", "del", "add", "ctx", "ctx", "file", "file", "file",
					"hunk", "del", "add", "add", "note");
		assertThat(lines.get(5)).isEqualTo(new DiffView.Line("del", 11, null, "-    warmup = 0"));
		assertThat(lines.get(6)).isEqualTo(new DiffView.Line("add", null, 11, "+    warmup = 100"));
		assertThat(lines.get(8).oldLine()).isEqualTo(13);
		assertThat(lines.get(15).newLine()).isEqualTo(2);
	}

	@Test
	void searchReplaceBlocksReadAsRemovedAndAddedLines() {
		List<DiffView.Line> lines = DiffView.of("""
				train.py
				<<<<<<< SEARCH
				warmup = 0
				=======
				warmup = 100
				>>>>>>> REPLACE
				""");
		assertThat(lines).extracting(DiffView.Line::kind).containsExactly("file", "hunk", "del", "hunk", "add", "hunk");
		assertThat(lines.get(4).text()).isEqualTo("+warmup = 100");
	}

	@Test
	void numbersReadTheSameInEveryLocale() {
		Formats formats = new Formats();
		assertThat(formats.number(1.23456789)).isEqualTo("1.23457");
		assertThat(formats.number(2.0)).isEqualTo("2");
		assertThat(formats.number(0.00001234)).isEqualTo("1.2340e-05");
		assertThat(formats.number(Double.NaN)).isEqualTo("NaN");
		assertThat(formats.number(null)).isEqualTo("—");
		assertThat(formats.signed(0.6000000000000001)).isEqualTo("+0.6");
		assertThat(formats.memory(2048.0)).isEqualTo("2.00 GiB");
		assertThat(Elapsed.of(java.time.Duration.ofSeconds(3725))).isEqualTo("1h 02m");
	}
}
