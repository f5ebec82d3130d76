package dev.nightshift.scheduler.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.quartz.SchedulerConfigException;
import org.quartz.spi.ClassLoadHelper;
import org.quartz.spi.SchedulerSignaler;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.scheduling.quartz.LocalDataSourceJobStore;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

/**
 * Quartz's job store on the application's own DataSource, under a connection-provider name of its own.
 *
 * <p>Spring's {@link LocalDataSourceJobStore} registers its DataSource in Quartz's JVM-wide
 * {@link DBConnectionManager} under a name made of the scheduler's name alone, which is {@code nightshift} on every
 * server. With two servers in one JVM (tests keep several applications alive; a user may embed two), the one started
 * last takes that name over, so every other server's scheduler read and wrote the last one's database and stopped
 * altogether once that one closed (its ticks never fired again: no dispatch, no repair). Here each store adds a
 * number to the name. The scheduler's name, which is what servers sharing a database are clustered by, is unchanged.
 */
public class ServerJobStore extends LocalDataSourceJobStore {

	private static final AtomicLong stores = new AtomicLong();

	@Override
	public void initialize(ClassLoadHelper loadHelper, SchedulerSignaler signaler) throws SchedulerConfigException {
		// Only set while the SchedulerFactoryBean configures this store, so read before anything else.
		DataSource transactional = SchedulerFactoryBean.getConfigTimeDataSource();
		DataSource configured = SchedulerFactoryBean.getConfigTimeNonTransactionalDataSource();
		DataSource nonTransactional = configured != null ? configured : transactional;
		super.initialize(loadHelper, signaler);
		String own = getInstanceName() + "#" + stores.incrementAndGet();
		DBConnectionManager connections = DBConnectionManager.getInstance();
		connections.addConnectionProvider(TX_DATA_SOURCE_PREFIX + own,
				provider(() -> DataSourceUtils.doGetConnection(transactional)));
		connections.addConnectionProvider(NON_TX_DATA_SOURCE_PREFIX + own, provider(nonTransactional::getConnection));
		setDataSource(TX_DATA_SOURCE_PREFIX + own);
		setNonManagedTXDataSource(NON_TX_DATA_SOURCE_PREFIX + own);
	}

	private static ConnectionProvider provider(Connect connect) {
		return new ConnectionProvider() {

			@Override
			public Connection getConnection() throws SQLException {
				return connect.connection();
			}

			@Override
			public void shutdown() {
				// The DataSource is the application's: it closes it.
			}

			@Override
			public void initialize() {
				// Nothing to set up: the DataSource is ready.
			}
		};
	}

	@FunctionalInterface
	private interface Connect {

		Connection connection() throws SQLException;
	}
}
