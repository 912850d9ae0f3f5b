package io.costlake.ingest.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CostlakeSparkTest {
    private static final String PARTITIONS = "spark.sql.shuffle.partitions";
    private static final String WRITERS = "spark.sql.maxConcurrentOutputFileWriters";
    private String before;

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(PARTITIONS);
        } else {
            System.setProperty(PARTITIONS, before);
        }
    }

    @Test
    void settingsGivenToSparkWinOverCostlakeDefaults() {
        // spark-submit --conf and costlake's --spark-conf arrive as spark.* system properties.
        before = System.setProperty(PARTITIONS, "200");
        System.clearProperty(WRITERS);

        SparkConf conf = CostlakeSpark.conf();

        assertThat(conf.get(PARTITIONS)).isEqualTo("200");
        assertThat(conf.get(WRITERS)).isEqualTo("32");
        assertThat(conf.get("spark.sql.extensions")).isEqualTo("io.delta.sql.DeltaSparkSessionExtension");
    }
}
