package dev.nightshift.scheduler.sharedlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nightshift.experiments.cluster.ClusterProperties;
import dev.nightshift.experiments.cluster.LocalTick;
import dev.nightshift.experiments.cluster.ServerIdentity;
import dev.nightshift.experiments.database.NightshiftHome;
import dev.nightshift.scheduler.process.RunLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Ships the end of the logs of this server's runs to {@code run_log_tail} every {@code nightshift.cluster.log-ship}:
 * the last {@code nightshift.cluster.log-tail} bytes of {@code run.log}, replaced whenever the log grew. Runs that
 * are STARTING or RUNNING are shipped, and those that ended in the last few minutes once more, so the tail every
 * other server shows holds the log's last line. The log is read without following links (see {@link RunLog}).
 */
@Component
class LogShipper implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(LogShipper.class);

	private final JdbcClient jdbc;
	private final ServerIdentity server;
	private final NightshiftHome home;
	private final ClusterProperties properties;
	private final Map<Long, Long> shipped = new HashMap<>();
	private LocalTick tick;

	LogShipper(JdbcClient jdbc, ServerIdentity server, NightshiftHome home, ClusterProperties properties) {
		this.jdbc = jdbc;
		this.server = server;
		this.home = home;
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	synchronized void start() {
		if (tick == null) {
			tick = LocalTick.every("nightshift-log-ship", properties.logShip(), this::shipAll);
		}
	}

	/** One round: every run of this server that is active or ended lately, whose log grew since it was shipped. */
	synchronized void shipAll() {
		List<Long> current = jdbc.sql("""
				select id from run where server_id = :me
				and (status in ('STARTING', 'RUNNING') or finished_at > now() - interval '5 minutes')""")
			.param("me", server.id())
			.query(Long.class)
			.list();
		shipped.keySet().retainAll(new HashSet<>(current));
		for (long run : current) {
			try {
				ship(run);
			}
			catch (IOException | RuntimeException ex) {
				log.debug("Could not ship the log of run {}; the next round tries again: {}", run, ex.getMessage());
			}
		}
	}

	private void ship(long run) throws IOException {
		Path file = RunLog.of(home.runsDirectory().resolve(Long.toString(run)));
		Optional<SeekableByteChannel> opened = RunLog.open(file);
		if (opened.isEmpty()) {
			return;
		}
		try (SeekableByteChannel channel = opened.get()) {
			long size = channel.size();
			if (shipped.getOrDefault(run, -1L) == size) {
				return;
			}
			int length = (int) Math.min(size, properties.logTail());
			ByteBuffer buffer = ByteBuffer.allocate(length);
			channel.position(size - length);
			while (buffer.hasRemaining() && channel.read(buffer) > 0) {
				// until full
			}
			byte[] bytes = new byte[buffer.position()];
			buffer.flip();
			buffer.get(bytes);
			jdbc.sql("""
					insert into run_log_tail (run_id, server_id, size, tail, shipped_at)
					values (:run, :me, :size, :tail, now())
					on conflict (run_id) do update set server_id = excluded.server_id, size = excluded.size,
					tail = excluded.tail, shipped_at = excluded.shipped_at""")
				.param("run", run)
				.param("me", server.id())
				.param("size", size - length + bytes.length)
				.param("tail", bytes)
				.update();
			shipped.put(run, size);
		}
	}

	@Override
	public synchronized void destroy() {
		if (tick != null) {
			tick.close();
		}
	}
}
