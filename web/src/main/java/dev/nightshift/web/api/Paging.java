package dev.nightshift.web.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.nightshift.experiments.shared.InvalidRequestException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/** Parses and checks the {@code page}, {@code size}, {@code sort} and {@code status} query parameters. */
final class Paging {

	static final int DEFAULT_SIZE = 50;
	static final int MAX_SIZE = 500;

	private Paging() {
	}

	/**
	 * @param sort {@code field} or {@code field,asc|desc}, or {@code -field} for descending; null for
	 *             {@code fallback}
	 */
	static Pageable pageable(Integer page, Integer size, String sort, Set<String> sortable, Sort fallback) {
		int p = page == null ? 0 : page;
		int s = size == null ? DEFAULT_SIZE : size;
		if (p < 0) {
			throw new InvalidRequestException("page", "out-of-range", "page starts at 0");
		}
		if (s < 1 || s > MAX_SIZE) {
			throw new InvalidRequestException("size", "out-of-range", "size must be between 1 and " + MAX_SIZE);
		}
		if ((long) p * s > Integer.MAX_VALUE) {
			// The database is asked for an int offset; past it the page number would wrap around.
			throw new InvalidRequestException("page", "out-of-range",
					"page times size must stay below " + Integer.MAX_VALUE + "; page " + p + " of size " + s + " is beyond any list");
		}
		return PageRequest.of(p, s, sort == null || sort.isBlank() ? fallback : sort(sort, sortable));
	}

	private static Sort sort(String text, Set<String> sortable) {
		String field = text.strip();
		Sort.Direction direction = Sort.Direction.ASC;
		if (field.startsWith("-")) {
			field = field.substring(1);
			direction = Sort.Direction.DESC;
		}
		else if (field.contains(",")) {
			String[] parts = field.split(",", 2);
			field = parts[0].strip();
			try {
				direction = Sort.Direction.fromString(parts[1].strip());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRequestException("sort", "direction", "the direction must be asc or desc");
			}
		}
		if (!sortable.contains(field)) {
			throw new InvalidRequestException("sort", "unknown-field", "cannot sort by '" + field + "'; use one of "
					+ sortable.stream().sorted().toList());
		}
		// Runs without an objective sort last either way, so the best ones are on the first page.
		return Sort.by(new Sort.Order(direction, field, Sort.NullHandling.NULLS_LAST), Sort.Order.desc("id"));
	}

	/** A comma-separated list of statuses, each one of {@code type}'s constants; empty when absent. */
	static <E extends Enum<E>> List<E> statuses(String text, Class<E> type) {
		List<E> statuses = new ArrayList<>();
		if (text == null || text.isBlank()) {
			return statuses;
		}
		for (String name : text.split(",")) {
			try {
				statuses.add(Enum.valueOf(type, name.strip().toUpperCase(Locale.ROOT)));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRequestException("status", "unknown-status", "'" + name.strip()
						+ "' is not a status; use one of " + Arrays.toString(type.getEnumConstants()));
			}
		}
		return statuses;
	}
}
