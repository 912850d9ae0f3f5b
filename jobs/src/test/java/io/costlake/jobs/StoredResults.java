package io.costlake.jobs;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.costlake.db.testing.TestDatabase;

/**
 * Everything a nightly run leaves in PostgreSQL for a day, as comparable text: every row of every result table
 * without the run id (a restart is another run), and the totals and counts of the day's latest succeeded
 * {@code cost_run} without its id, times and source. Two runs that computed the same day compare equal.
 */
final class StoredResults {
    private static final List<String> TABLES = List.of("namespace_cost_daily", "workload_cost_daily",
            "node_cost_daily", "cost_pool_daily", "storage_cost_daily", "container_cost_hourly", "idle_gpu_episode",
            "gpu_unallocated_daily");
    private static final Set<String> RUN_SPECIFIC = Set.of("run_id", "started_at", "finished_at", "source", "message");

    private StoredResults() {}

    /** Table name → its rows (sorted), plus {@code cost_run} → the latest succeeded run's figures. */
    static Map<String, List<String>> of(String schema) throws SQLException {
        Map<String, List<String>> results = new LinkedHashMap<>();
        try (Connection connection = TestDatabase.dataSource(schema).getConnection();
                Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                results.put(table, rows(statement, "select * from " + table));
            }
            results.put("cost_run", rows(statement,
                    "select * from cost_run where status = 'succeeded' order by run_id desc limit 1"));
        }
        return results;
    }

    private static List<String> rows(Statement statement, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            ResultSetMetaData columns = result.getMetaData();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    if (!RUN_SPECIFIC.contains(columns.getColumnName(i))) {
                        row.append(columns.getColumnName(i)).append('=').append(result.getString(i)).append(' ');
                    }
                }
                rows.add(row.toString().strip());
            }
        }
        rows.sort(null);
        return rows;
    }
}
