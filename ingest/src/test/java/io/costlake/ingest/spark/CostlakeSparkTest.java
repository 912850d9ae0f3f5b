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

        SparkConf conf = CostlakeSpark.conf("local[2]");

        assertThat(conf.get(PARTITIONS)).isEqualTo("200");
        assertThat(conf.get(WRITERS)).isEqualTo("32");
        assertThat(conf.get("spark.sql.extensions")).isEqualTo("io.delta.sql.DeltaSparkSessionExtension");
    }

    @Test
    void onlyALocalMasterWritesFilePathsWithoutForkingProcesses() {
        // A cluster's executors, local-cluster's too, would look the class up before they have the application's jar.
        String fileSystem = "spark.hadoop.fs.file.impl";

        assertThat(CostlakeSpark.conf("local[2]").get(fileSystem)).isEqualTo(ForklessLocalFileSystem.class.getName());
        assertThat(CostlakeSpark.conf("local[2]").get("spark.hadoop.fs.AbstractFileSystem.file.impl"))
                .isEqualTo(ForklessLocalFileSystem.Context.class.getName());
        assertThat(CostlakeSpark.conf("spark://127.0.0.1:7077").contains(fileSystem)).isFalse();
        assertThat(CostlakeSpark.conf("local-cluster[1,1,1024]").contains(fileSystem)).isFalse();
    }
}
