package dev.nightshift.web.ui;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.nightshift.experiments.run.RunStatus;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/**
 * The runs table's filter, sort and page exactly as the query string carries them ({@code ?status=FAILED,OOM
 * &sort=-objective&page=3}), so a link shares the view. Lenient on purpose: a stale link with an unknown status
 * or sort field shows the default view instead of an error page.
 *
 * @param statuses the statuses shown; empty means all
 * @param sort     a sortable field, prefixed with {@code -} for descending
 * @param page     the page, from 1
 * @param size     rows per page
 */
record RunsQuery(List<RunStatus> statuses, String sort, int page, int size) {

	static final int DEFAULT_SIZE = 50;
	static final int MAX_SIZE = 200;
	static final String DEFAULT_SORT = "-id";
	static final Set<String> SORTABLE = Set.of("id", "objective", "status", "startedAt", "finishedAt");
	static final Set<String> NULLABLE = Set.of("objective", "startedAt", "finishedAt");

	RunsQuery {
		statuses = List.copyOf(statuses);
	}

	static RunsQuery parse(List<String> status, String sort, Integer page, Integer size) {
		List<RunStatus> statuses = new ArrayList<>();
		for (String name : status == null ? List.<String>of() : status) {
			for (String part : name.split(",")) {
				Arrays.stream(RunStatus.values())
					.filter(s -> s.name().equals(part.strip().toUpperCase(Locale.ROOT)))
					.filter(s -> !statuses.contains(s))
					.forEach(statuses::add);
			}
		}
		String field = sort == null ? "" : sort.strip();
		String bare = field.startsWith("-") ? field.substring(1) : field;
		return new RunsQuery(statuses, SORTABLE.contains(bare) ? field : DEFAULT_SORT,
				page == null || page < 1 ? 1 : page,
				size == null ? DEFAULT_SIZE : Math.max(1, Math.min(MAX_SIZE, size)));
	}

	public String sortField() {
		return descending() ? sort.substring(1) : sort;
	}

	public boolean descending() {
		return sort.startsWith("-");
	}

	/**
	 * Runs without an objective (or not yet started or finished) sort last either way, so the best ones are on
	 * the first page. Columns that are never null keep the database's own order, so the indexes on
	 * (experiment_id, id desc) and (experiment_id, status, id desc) serve them without a sort.
	 */
	Pageable pageable() {
		Sort.Direction direction = descending() ? Sort.Direction.DESC : Sort.Direction.ASC;
		Sort.NullHandling nulls = NULLABLE.contains(sortField()) ? Sort.NullHandling.NULLS_LAST : Sort.NullHandling.NATIVE;
		Sort order = Sort.by(new Sort.Order(direction, sortField(), nulls));
		if (!sortField().equals("id")) {
			order = order.and(Sort.by(Sort.Order.desc("id")));
		}
		return PageRequest.of(page - 1, size, order);
	}

	/** The {@code sort} parameter of a link, or null for the default. */
	public String sortParam() {
		return sort.equals(DEFAULT_SORT) ? null : sort;
	}

	/** What a click on a column's header sorts by: the other direction when it is the sorted column. */
	public String sortBy(String field) {
		if (field.equals(sortField())) {
			return descending() ? field : "-" + field;
		}
		return field.equals("objective") ? field : "-" + field;
	}

	/** The arrow shown beside a column's header. */
	public String arrow(String field) {
		return field.equals(sortField()) ? (descending() ? "▼" : "▲") : "";
	}

	/** The query string of a link to the first page sorted by {@code field}, keeping the filter. */
	public String sortLink(String field) {
		return link(statuses, sortBy(field), 1);
	}

	/** The query string of a link to {@code page}, keeping the filter and the sort. */
	public String pageLink(int page) {
		return link(statuses, sort, page);
	}

	private String link(List<RunStatus> filter, String order, int target) {
		List<String> parts = new ArrayList<>();
		if (!filter.isEmpty()) {
			parts.add("status=" + filter.stream().map(Enum::name).collect(Collectors.joining(",")));
		}
		if (!order.equals(DEFAULT_SORT)) {
			parts.add("sort=" + order);
		}
		if (target > 1) {
			parts.add("page=" + target);
		}
		if (size != DEFAULT_SIZE) {
			parts.add("size=" + size);
		}
		return parts.isEmpty() ? "" : "?" + String.join("&", parts);
	}

	public boolean shows(RunStatus status) {
		return statuses.contains(status);
	}
}
