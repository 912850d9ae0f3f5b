package io.costlake.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ByteArrayResource;

import io.costlake.jobs.config.CostlakeProperties;

/** Spark settings keep their dotted, camel-case keys from costlake.yaml and from --spark-conf. */
class SparkConfBindingTest {
    @Test
    void bracketedYamlKeysBindAsWholeSparkSettingNames() throws Exception {
        var yaml = new YamlPropertySourceLoader().load("costlake.yaml", new ByteArrayResource("""
                costlake:
                  spark:
                    master: spark://spark-master:7077
                    conf:
                      "[spark.executor.memory]": 4g
                      "[spark.executor.extraJavaOptions]": -XX:+UseG1GC -Dx=y
                """.getBytes(StandardCharsets.UTF_8)));

        CostlakeProperties properties = new Binder(ConfigurationPropertySources.from(yaml))
                .bind("costlake", CostlakeProperties.class).get();

        assertThat(properties.getSpark().getMaster()).isEqualTo("spark://spark-master:7077");
        assertThat(properties.getSpark().getConf()).isEqualTo(Map.of("spark.executor.memory", "4g",
                "spark.executor.extraJavaOptions", "-XX:+UseG1GC -Dx=y"));
    }

    @Test
    void sparkConfFlagsBindTheSameWay() {
        // What CommonOptions makes of --spark-conf spark.driver.host=10.0.0.5 (a command-line property).
        CostlakeProperties properties = new Binder(List.of(new MapConfigurationPropertySource(Map.of(
                "costlake.spark.conf[spark.driver.host]", "10.0.0.5",
                "costlake.spark.conf[spark.executor.extraJavaOptions]", "-XX:+UseSerialGC"))))
                .bind("costlake", CostlakeProperties.class).get();

        assertThat(properties.getSpark().getConf()).isEqualTo(Map.of("spark.driver.host", "10.0.0.5",
                "spark.executor.extraJavaOptions", "-XX:+UseSerialGC"));
    }
}
