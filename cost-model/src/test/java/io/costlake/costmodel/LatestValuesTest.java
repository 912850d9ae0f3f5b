package io.costlake.costmodel;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import io.costlake.ingest.testing.TestSpark;

class LatestValuesTest {
    private static final StructType POD_INFO = new StructType().add("pod", DataTypes.StringType)
            .add("node", DataTypes.StringType).add("owner", DataTypes.StringType).add("ts", DataTypes.LongType);

    @Test
    void takesEachKeysValuesFromItsLatestSample() {
        // web-1 ran on n1 at 0 and 60, moved to n2 at 120, and back to n1 at 180: latest is n1 (ts 180), not the
        // value seen most often or the largest. job-1's only node is null at its latest sample: null wins.
        Dataset<Row> samples = rows(
                RowFactory.create("web-1", "n1", "rs-a", 0L),
                RowFactory.create("web-1", "n1", "rs-a", 60L),
                RowFactory.create("web-1", "n2", "rs-b", 120L),
                RowFactory.create("web-1", "n1", "rs-c", 180L),
                RowFactory.create("job-1", "n3", "job", 0L),
                RowFactory.create("job-1", null, "job", 60L));

        List<Row> latest = LatestValues.per("pod").value("node", col("node")).value("owner", col("owner"))
                .of(samples).orderBy("pod").collectAsList();

        assertThat(latest).containsExactly(RowFactory.create("job-1", null, "job"),
                RowFactory.create("web-1", "n1", "rs-c"));
    }

    @Test
    void rejectsAValueNamedLikeAKey() {
        assertThatThrownBy(() -> LatestValues.per("pod").value("pod", col("node")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("duplicate column pod");
    }

    private static Dataset<Row> rows(Row... rows) {
        return TestSpark.session().createDataFrame(List.of(rows), POD_INFO);
    }
}
