package dev.nightshift.web.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.nightshift.experiments.spec.ExperimentSpecParser;
import dev.nightshift.experiments.spec.SpecViolation;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Finds the line of a YAML document that a {@link SpecViolation} is about. The validator names fields by path
 * ({@code parameters.lr.min}, {@code editable[2]}); this walks the same path through the document's node tree,
 * which remembers where each key stands. A field the document lacks (a {@code required} one) is put on the line of
 * the nearest part of its path that is there; a syntax error carries its line in its message. Nothing here
 * validates anything: the rules are the parser's alone.
 */
final class SpecLines {

	private static final Pattern SYNTAX_LINE = Pattern.compile("at line (\\d+)");
	private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

	private final Node root;

	private SpecLines(Node root) {
		this.root = root;
	}

	/** The lines of {@code yaml}; a document that cannot be read yields lines for syntax errors only. */
	static SpecLines of(String yaml) {
		if (yaml == null || yaml.length() > ExperimentSpecParser.MAX_DOCUMENT_CHARS) {
			return new SpecLines(null);
		}
		try {
			LoadSettings settings = LoadSettings.builder().setCodePointLimit(ExperimentSpecParser.MAX_DOCUMENT_CHARS).build();
			return new SpecLines(new Compose(settings).composeString(yaml).orElse(null));
		}
		catch (YamlEngineException | IllegalArgumentException unreadable) {
			return new SpecLines(null);
		}
	}

	/** A violation with the line (from 1) it is about; {@code line} is null for the document as a whole. */
	record Placed(Integer line, String field, String rule, String message) {
	}

	List<Placed> place(List<SpecViolation> violations) {
		List<Placed> placed = new ArrayList<>();
		for (SpecViolation v : violations) {
			placed.add(new Placed(line(v).orElse(null), v.field(), v.rule(), v.message()));
		}
		// The document's own problems first, then down the text as a person reads it.
		placed.sort(Comparator.comparing(Placed::line, Comparator.nullsFirst(Comparator.naturalOrder())));
		return placed;
	}

	Optional<Integer> line(SpecViolation violation) {
		if (violation.field().isEmpty()) {
			Matcher at = SYNTAX_LINE.matcher(violation.message());
			return at.find() ? Optional.of(Integer.parseInt(at.group(1))) : Optional.empty();
		}
		return line(violation.field());
	}

	/** The line of the deepest part of {@code path} the document has; empty when not even its first part is there. */
	Optional<Integer> line(String path) {
		Node node = root;
		Integer found = null;
		Matcher segment = SEGMENT.matcher(path);
		while (node != null && segment.find()) {
			Node next = null;
			if (segment.group(1) != null && node instanceof MappingNode mapping) {
				for (NodeTuple tuple : mapping.getValue()) {
					if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(segment.group(1))) {
						found = lineOf(key, found);
						next = tuple.getValueNode();
						break;
					}
				}
			}
			else if (segment.group(2) != null && node instanceof SequenceNode sequence) {
				int index = Integer.parseInt(segment.group(2));
				if (index < sequence.getValue().size()) {
					next = sequence.getValue().get(index);
					found = lineOf(next, found);
				}
			}
			node = next;
		}
		return Optional.ofNullable(found);
	}

	private static Integer lineOf(Node node, Integer otherwise) {
		return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(otherwise);
	}
}
