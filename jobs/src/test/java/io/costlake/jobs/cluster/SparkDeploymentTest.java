package io.costlake.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the driver's Spark is set up for local mode, a cluster, and spark-submit; which jars executors get. */
class SparkDeploymentTest {
    private static final List<Path> SHIPPED = List.of(Path.of("/jars/costlake-ingest-0.1.0.jar"),
            Path.of("/jars/delta-spark_2.13-4.2.0.jar"));

    @TempDir
    Path dir;

    @Test
    void localModeShipsNothingAndPassesTheSettingsOn() {
        SparkDeployment local = SparkDeployment.plan("local[2]", Map.of("spark.sql.shuffle.partitions", "4"), Map.of(),
                () -> {
                    throw new AssertionError("local mode needs no executor jars");
                });

        assertThat(local.master()).isEqualTo("local[2]");
        assertThat(local.settings()).isEqualTo(Map.of("spark.sql.shuffle.partitions", "4"));
    }

    @Test
    void clusterMasterShipsTheExecutorJarsAfterTheJarsAlreadyListed() {
        SparkDeployment cluster = SparkDeployment.plan("spark://spark-master:7077",
                Map.of("spark.jars", "/opt/extra.jar", "spark.driver.host", "10.0.0.5"),
                Map.of("spark.jars", "/opt/from-system.jar"), () -> SHIPPED);

        assertThat(cluster.master()).isEqualTo("spark://spark-master:7077");
        assertThat(cluster.settings()).containsEntry("spark.driver.host", "10.0.0.5")
                .containsEntry("spark.jars", "/opt/from-system.jar,/opt/extra.jar,"
                        + "file:///jars/costlake-ingest-0.1.0.jar,file:///jars/delta-spark_2.13-4.2.0.jar");
    }

    @Test
    void sparkSubmitsMasterWinsOverTheConfiguredOne() {
        SparkDeployment submitted = SparkDeployment.plan("local[2]", Map.of(),
                Map.of("spark.master", "k8s://https://kubernetes.default.svc",
                        "spark.jars", "local:///opt/costlake.jar"),
                () -> SHIPPED);

        assertThat(submitted.master()).as("empty: the builder keeps spark-submit's").isEmpty();
        assertThat(submitted.settings().get("spark.jars")).startsWith("local:///opt/costlake.jar,file:///jars/");
        assertThat(SparkDeployment.plan("local[2]", Map.of(), Map.of("spark.master", "local[*]"), () -> SHIPPED)
                .settings()).doesNotContainKey("spark.jars");
    }

    @Test
    void executorJarsAreCostlakesSparkModulesAndDeltaLake() {
        String classPath = String.join(File.pathSeparator, jar("costlake-ingest-0.1.0-SNAPSHOT.jar"),
                jar("costlake-cost-model-0.1.0-SNAPSHOT.jar"), jar("costlake-db-0.1.0-SNAPSHOT.jar"),
                jar("fastdoubleparser-2.0.1.jar"), jar("delta-storage-4.2.0.jar"), jar("unitycatalog-client-0.4.1.jar"),
                jar("spark-core_2.13-4.1.1.jar"), dir.resolve("classes").toString());

        assertThat(ExecutorJars.fromClassPath(classPath)).extracting(path -> path.getFileName().toString())
                .containsExactly("costlake-ingest-0.1.0-SNAPSHOT.jar", "costlake-cost-model-0.1.0-SNAPSHOT.jar",
                        "fastdoubleparser-2.0.1.jar", "delta-storage-4.2.0.jar", "unitycatalog-client-0.4.1.jar");
    }

    @Test
    void nestedJarsAreCopiedOutOfTheSpringBootJar() throws Exception {
        Path boot = dir.resolve("costlake.jar");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(boot))) {
            for (String name : List.of("BOOT-INF/lib/costlake-ingest-0.1.0.jar", "BOOT-INF/lib/spring-core-6.2.19.jar",
                    "BOOT-INF/lib/delta-spark_2.13-4.2.0.jar", "BOOT-INF/classes/delta-notes-1.jar")) {
                jar.putNextEntry(new JarEntry(name));
                jar.write(name.getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        Path target = Files.createDirectories(dir.resolve("extracted"));

        List<Path> extracted = ExecutorJars.extract(boot, target);

        assertThat(extracted).containsExactly(target.resolve("costlake-ingest-0.1.0.jar"),
                target.resolve("delta-spark_2.13-4.2.0.jar"));
        assertThat(Files.readString(extracted.get(1))).isEqualTo("BOOT-INF/lib/delta-spark_2.13-4.2.0.jar");
        assertThat(ExecutorJars.bootJar("jar:nested:" + boot.toUri().getRawPath()
                + "/!BOOT-INF/lib/costlake-ingest-0.1.0.jar!/")).contains(boot);
        assertThat(ExecutorJars.bootJar(dir.resolve("classes").toUri().toString())).isEmpty();
    }

    private String jar(String name) {
        try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            out.write(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir.resolve(name).toString();
    }
}
