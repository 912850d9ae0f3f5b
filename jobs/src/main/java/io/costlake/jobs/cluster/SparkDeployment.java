package io.costlake.jobs.cluster;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.costlake.ingest.spark.CostlakeSpark;

/**
 * Where the driver's Spark runs: local mode (the default), a cluster named by {@code --spark-master}
 * ({@code spark://host:7077}), or whatever {@code spark-submit} chose when it started costlake.
 *
 * <p>The extra Spark settings ({@code costlake.spark.conf}, {@code --spark-conf}) and, on a cluster, the jars the
 * executors need ({@code spark.jars}, see {@link ExecutorJars}) are handed to Spark as {@code spark.*} system
 * properties, which every {@code SparkConf} reads: the same way {@code spark-submit} configures a driver.
 * Executors get the JDK 17 {@code --add-opens} flags from Spark itself: the SparkContext prepends Spark's module
 * options ({@code JavaModuleOptions}) to the executors' Java options, so nothing is added for them here.
 */
public final class SparkDeployment {
    private static final Logger LOG = LoggerFactory.getLogger(SparkDeployment.class);
    static final String SUBMITTED_MASTER = "spark.master";
    static final String JARS = "spark.jars";

    private final String master;
    private final Map<String, String> settings;

    private SparkDeployment(String master, Map<String, String> settings) {
        this.master = master;
        this.settings = Map.copyOf(settings);
    }

    /**
     * Plans the session: {@code configuredMaster} unless {@code spark-submit} set {@code spark.master} (then its
     * choice stands), the configured settings, and on a cluster the executor jars appended to {@code spark.jars}.
     */
    static SparkDeployment plan(String configuredMaster, Map<String, String> conf, Map<String, String> systemProperties,
            Supplier<List<Path>> executorJars) {
        requireNonNull(configuredMaster, "configuredMaster is null");
        requireNonNull(conf, "conf is null");
        String submitted = systemProperties.get(SUBMITTED_MASTER);
        // An empty master leaves the builder alone, so SparkConf takes spark-submit's.
        String master = submitted != null ? "" : configuredMaster;
        String effective = submitted != null ? submitted : configuredMaster;
        Map<String, String> settings = new LinkedHashMap<>(conf);
        if (!CostlakeSpark.isLocal(effective)) {
            String shipped = Stream.concat(Stream.of(systemProperties.get(JARS), conf.get(JARS)),
                            executorJars.get().stream().map(jar -> jar.toUri().toString()))
                    .filter(jars -> jars != null && !jars.isBlank())
                    .collect(Collectors.joining(","));
            settings.put(JARS, shipped);
        }
        return new SparkDeployment(master, settings);
    }

    /** Starts (or returns) the JVM's SparkSession, planned from the configuration and the JVM's system properties. */
    public static SparkSession session(String configuredMaster, Map<String, String> conf) {
        Map<String, String> systemProperties = System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("spark."))
                .collect(Collectors.toMap(name -> name, System::getProperty));
        SparkDeployment deployment = plan(configuredMaster, conf, systemProperties, ExecutorJars::locate);
        deployment.settings.forEach(System::setProperty);
        if (deployment.master.isEmpty()) {
            LOG.info("Spark master {} (set by spark-submit)", systemProperties.get(SUBMITTED_MASTER));
        } else if (!CostlakeSpark.isLocal(deployment.master)) {
            LOG.info("Spark master {}; executors get {}", deployment.master, deployment.settings.get(JARS));
        }
        return CostlakeSpark.session(deployment.master);
    }

    String master() {
        return master;
    }

    Map<String, String> settings() {
        return settings;
    }
}
