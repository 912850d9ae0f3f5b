package io.costlake.ingest.testing;

import org.apache.spark.sql.SparkSession;

import io.costlake.ingest.spark.CostlakeSpark;

/** The one SparkSession of a test JVM (local[2]), created on first use and stopped when the JVM exits. */
public final class TestSpark {
    private static SparkSession session;

    private TestSpark() {}

    public static synchronized SparkSession session() {
        if (session == null) {
            session = CostlakeSpark.session("local[2]");
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }
}
