package io.costlake.costmodel.allocation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import io.costlake.ingest.testing.TestSpark;

/** The allocation joins samples to their series by the id alone, so ids shared between series must stop a run. */
class SeriesIdCheckTest {
    private static final StructType SERIES = new StructType().add("cluster", DataTypes.StringType)
            .add("series", DataTypes.LongType).add("node", DataTypes.StringType);

    private final SparkSession spark = TestSpark.session();

    @Test
    void acceptsIdsThatAreUniqueAcrossTablesAndClusters() {
        assertThatCode(() -> ContainerAllocation.checkSeriesIds(
                table(RowFactory.create("blue", 1L, "n1"), RowFactory.create("green", 2L, "n1")),
                table(RowFactory.create("blue", 3L, "n1"))))
                .doesNotThrowAnyException();
    }

    @Test
    void failsWhenTwoClustersShareASeriesId() {
        // A lake ingested before ids hashed the cluster: the same text in blue and green gave both series id 1.
        assertThatThrownBy(() -> ContainerAllocation.checkSeriesIds(
                table(RowFactory.create("blue", 1L, "n1"), RowFactory.create("green", 1L, "n1")),
                table(RowFactory.create("blue", 3L, "n1"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("1 series of the day share a 64-bit id")
                .hasMessageEndingWith("ingest the day again");
    }

    @Test
    void failsWhenTwoTablesShareASeriesId() {
        assertThatThrownBy(() -> ContainerAllocation.checkSeriesIds(
                table(RowFactory.create("blue", 7L, "n1")), table(RowFactory.create("blue", 7L, "n2"))))
                .isInstanceOf(IllegalStateException.class);
    }

    /** One input's series, as the allocation has them after working out their node. */
    private Dataset<Row> table(Row... series) {
        return spark.createDataFrame(List.of(series), SERIES);
    }
}
