package io.costlake.jobs.nightly;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * At most one nightly run at a time per cost schema, across processes and machines: a PostgreSQL session
 * advisory lock held on its own connection for the length of a run. The server releases it when that connection
 * ends, also when the process is killed, so a held lock always means a live run, and a job execution left
 * STARTED without the lock held is one whose process died.
 */
public final class NightlyRunLock implements AutoCloseable {
    /** First key of the two-key advisory lock: costlake's own lock space ("cl"). */
    private static final int LOCK_SPACE = 0x636c;

    private final Connection connection;
    private final String schema;

    private NightlyRunLock(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
    }

    /** The lock for runs writing to {@code schema}, or empty when another run holds it. */
    public static Optional<NightlyRunLock> tryAcquire(DataSource dataSource, String schema) {
        requireNonNull(dataSource, "dataSource is null");
        requireNonNull(schema, "schema is null");
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?, hashtext(?))")) {
                lock.setInt(1, LOCK_SPACE);
                lock.setString(2, schema);
                try (ResultSet acquired = lock.executeQuery()) {
                    acquired.next();
                    if (acquired.getBoolean(1)) {
                        return Optional.of(new NightlyRunLock(connection, schema));
                    }
                }
            }
            connection.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("cannot take the nightly run lock in PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?, hashtext(?))")) {
            unlock.setInt(1, LOCK_SPACE);
            unlock.setString(2, schema);
            unlock.execute();
            closeQuietly(connection);
        } catch (SQLException e) {
            // Not back into the pool with the lock held: end the session, which releases it.
            try {
                connection.abort(Runnable::run);
            } catch (SQLException ignored) {
                closeQuietly(connection);
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing left to release
            }
        }
    }
}
