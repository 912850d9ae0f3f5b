package io.costlake.jobs.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

/** Options shared by the commands that use the database and the lake. */
final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "costlake.yaml to read (default: ./costlake.yaml if present)")
    Path config;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "PostgreSQL JDBC URL (env COSTLAKE_DB_URL); default: embedded")
    String db;

    @Option(names = "--db-schema", paramLabel = "NAME", description = "schema of the cost tables (default: costlake)")
    String dbSchema;

    @Option(names = "--cluster", paramLabel = "NAME", description = "cluster name for samples without a cluster label")
    String cluster;

    @Option(names = "--lake", paramLabel = "DIR|URI", description = "Delta lake root (env COSTLAKE_LAKE)")
    String lake;

    @Option(names = "--out", paramLabel = "DIR", description = "directory for reports")
    Path out;

    @Option(names = "--spark-master", paramLabel = "URL", description = "Spark master (default: local[2])")
    String sparkMaster;

    @Option(names = "--log-format", paramLabel = "text|json",
            description = "console log lines as text (default) or one JSON object per line (env COSTLAKE_LOG_FORMAT)")
    String logFormat;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE",
            description = "Spark setting, repeatable (e.g. spark.executor.memory=4g); see costlake.spark.conf")
    Map<String, String> sparkConf = new LinkedHashMap<>();

    SpringContext context() {
        SpringContext context = new SpringContext();
        // Brackets keep a key's dots and case: spark.executor.extraJavaOptions stays one key.
        sparkConf.forEach((key, value) -> context.set("costlake.spark.conf[" + key + "]", value));
        return context
                .configFile(config)
                .set("costlake.db.url", db)
                .set("costlake.db.schema", dbSchema)
                .set("costlake.cluster", cluster)
                .set("costlake.lake", lake)
                .set("costlake.out", out)
                .set("costlake.spark.master", sparkMaster)
                .set("costlake.log-format", logFormat);
    }
}
