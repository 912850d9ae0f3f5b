package io.costlake.jobs;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.costlake.db.testing.TestDatabase;

/**
 * What Spring Batch's JobRepository (schema {@code costlake_batch} of the test database) recorded for the nightly
 * runs of one metrics input. Every test has its own input directory, so its runs are told apart by the
 * {@code source} job parameter.
 */
final class BatchHistory {
    private static final String STEPS = """
            select e.job_instance_id, e.job_execution_id, s.step_name, s.status
            from costlake_batch.batch_job_execution e
            join costlake_batch.batch_job_execution_params p on p.job_execution_id = e.job_execution_id
                and p.parameter_name = 'source' and p.parameter_value = ?
            join costlake_batch.batch_step_execution s on s.job_execution_id = e.job_execution_id
            order by e.job_execution_id, s.step_execution_id
            """;

    private final String source;

    private BatchHistory(String source) {
        this.source = source;
    }

    /** The runs of the nightly job over {@code metrics} (a file or directory), as {@code run --metrics} names them. */
    static BatchHistory ofMetrics(Path metrics) {
        return new BatchHistory("metrics:" + metrics.toAbsolutePath().normalize());
    }

    /**
     * Each step execution as "execution# step STATUS", executions numbered from 1 in the order they ran, e.g.
     * {@code [1 ingest COMPLETED, 1 attribute FAILED, 2 attribute COMPLETED, ...]}.
     */
    List<String> stepExecutions() throws SQLException {
        List<String> steps = new ArrayList<>();
        Map<Long, Integer> executionNumbers = new LinkedHashMap<>();
        query(rows -> {
            int number = executionNumbers.computeIfAbsent(rows.getLong("job_execution_id"),
                    id -> executionNumbers.size() + 1);
            steps.add(number + " " + rows.getString("step_name") + " " + rows.getString("status"));
        });
        return steps;
    }

    /** How many job instances ran over this input (a restart continues an instance, a new one starts another). */
    long jobInstances() throws SQLException {
        List<Long> instances = new ArrayList<>();
        query(rows -> instances.add(rows.getLong("job_instance_id")));
        return instances.stream().distinct().count();
    }

    /** The status of the latest execution of {@code step}, if it started. */
    Optional<String> latestStatusOf(String step) throws SQLException {
        List<String> statuses = new ArrayList<>();
        query(rows -> {
            if (rows.getString("step_name").equals(step)) {
                statuses.add(rows.getString("status"));
            }
        });
        return statuses.isEmpty() ? Optional.empty() : Optional.of(statuses.get(statuses.size() - 1));
    }

    private interface RowConsumer {
        void accept(ResultSet rows) throws SQLException;
    }

    private void query(RowConsumer consumer) throws SQLException {
        try (Connection connection = TestDatabase.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(STEPS)) {
            statement.setString(1, source);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    consumer.accept(rows);
                }
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return; // the JobRepository's tables do not exist yet: nothing ran
            }
            throw e;
        }
    }
}
