package dev.nightshift.experiments.recovery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;

/**
 * Repairs the state a lost follow-up leaves stuck, at start (after the runs a previous server left have been
 * reconciled) and on every tick of {@code nightshift.recovery.tick}. The event publication registry already
 * hands interrupted follow-ups to their listeners again; this is the second line, which looks at the state
 * itself, whatever became of the event. Each repair is idempotent, so running it twice changes nothing.
 */
@Service
public class Reconciler {

	private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

	private final List<Repair> repairs;

	Reconciler(List<Repair> repairs) {
		this.repairs = repairs;
	}

	/** Runs every repair once; returns how many cases each repaired, by name. One failing repair stops no other. */
	public synchronized Map<String, Integer> reconcile() {
		Map<String, Integer> repaired = new LinkedHashMap<>();
		for (Repair repair : repairs) {
			try {
				int count = repair.repair();
				repaired.put(repair.name(), count);
				if (count > 0) {
					log.warn("Reconciler repaired {} {}", count, repair.name());
				}
			}
			catch (RuntimeException ex) {
				log.error("Reconciler could not repair {}; the next tick tries again", repair.name(), ex);
			}
		}
		return repaired;
	}

	@EventListener(ApplicationReadyEvent.class)
	@Order(Ordered.LOWEST_PRECEDENCE)
	void atStart() {
		reconcile();
	}
}
