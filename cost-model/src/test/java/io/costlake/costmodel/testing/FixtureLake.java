package io.costlake.costmodel.testing;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.costlake.costmodel.GoldTable;
import io.costlake.ingest.bronze.BronzeIngest;
import io.costlake.ingest.files.MetricsFiles;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.testing.TestSpark;

/** A lake holding one ingested fixture day, and the gold rows of a cluster-day by their key, for cost tests. */
public final class FixtureLake {
    private FixtureLake() {}

    /** Ingests an OpenMetrics file of {@code day} into a new lake at {@code root}, on the test JVM's session. */
    public static Lake ingest(Path metrics, LocalDate day, Path root) {
        SparkSession spark = TestSpark.session();
        Lake lake = new Lake(spark, root.toString());
        MetricsFiles files = new MetricsFiles(spark);
        new BronzeIngest(lake).ingest(files, files.files(metrics.toString(), day), day, "default");
        return lake;
    }

    /** The gold rows of a cluster-day, by the value of their {@code key} column. */
    public static Map<String, Row> rowsBy(Lake lake, GoldTable table, String cluster, LocalDate day, String key) {
        Map<String, Row> rows = new HashMap<>();
        for (Row row : lake.read(table, cluster, day).orElseThrow().collectAsList()) {
            rows.put(row.getAs(key), row);
        }
        return rows;
    }
}
