package io.costlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.costlake.jobs.config.CostlakeProperties;
import io.costlake.jobs.config.EffectiveSettings;

/**
 * The deployment examples of docs/operations.md are read, not just shown: the Kubernetes manifests parse, the
 * CronJob never runs twice at once and takes the database URL from the Secret, the ConfigMap's costlake.yaml and
 * the container's COSTLAKE_* variables are all real settings, and systemd accepts the service and timer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentExamplesTest {
    private static final Path DEPLOY = Path.of("..", "docs", "deploy");

    private Map<String, JsonNode> manifests;

    @BeforeAll
    void readTheManifests() throws Exception {
        manifests = new LinkedHashMap<>();
        try (var documents = new YAMLMapper().readerFor(JsonNode.class)
                .<JsonNode>readValues(DEPLOY.resolve("costlake-cronjob.yaml").toFile())) {
            while (documents.hasNext()) {
                JsonNode manifest = documents.next();
                manifests.put(manifest.path("kind").asText(), manifest);
            }
        }
    }

    @Test
    void cronJobRunsNightlyOneAtATimeWithTheDatabaseFromTheSecretAndA4GbHeap() {
        assertThat(manifests).containsOnlyKeys("ConfigMap", "Secret", "PersistentVolumeClaim", "CronJob");
        JsonNode cronJob = manifests.get("CronJob").path("spec");
        assertThat(cronJob.path("schedule").asText()).isEqualTo("30 2 * * *");
        assertThat(cronJob.path("concurrencyPolicy").asText()).isEqualTo("Forbid");

        JsonNode pod = cronJob.path("jobTemplate").path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        Map<String, JsonNode> env = environment(container);
        JsonNode dbUrl = env.get("COSTLAKE_DB_URL").path("valueFrom").path("secretKeyRef");
        String secret = manifests.get("Secret").path("metadata").path("name").asText();
        assertThat(dbUrl.path("name").asText()).isEqualTo(secret);
        assertThat(manifests.get("Secret").path("stringData").has(dbUrl.path("key").asText())).isTrue();
        assertThat(env.get("JAVA_OPTS").path("value").asText()).contains("-Xmx4g", "-XX:+UseParallelGC");
        assertThat(container.path("resources").path("limits").path("memory").asText()).isEqualTo("6Gi");
        // The flags Spark needs on JDK 17 are the ones this JVM got from Surefire's argLine (the root pom).
        List<String> jvmFlags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("--add-opens")).toList();
        assertThat(env.get("SPARK_JVM_FLAGS").path("value").asText().split("\\s+"))
                .containsExactlyInAnyOrderElementsOf(jvmFlags);

        List<String> volumes = pod.findValuesAsText("claimName");
        assertThat(volumes).containsExactly(manifests.get("PersistentVolumeClaim").path("metadata").path("name").asText());
        assertThat(pod.path("volumes").findValue("configMap").path("name").asText())
                .isEqualTo(manifests.get("ConfigMap").path("metadata").path("name").asText());
    }

    @Test
    void configMapAndContainerEnvironmentUseOnlyRealSettings() throws Exception {
        JsonNode container = manifests.get("CronJob").findValue("containers").get(0);
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        Map<String, Object> variables = new LinkedHashMap<>();
        environment(container).keySet().stream().filter(name -> name.startsWith("COSTLAKE_"))
                .forEach(name -> variables.put(name, "from-" + name));
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        String costlakeYaml = manifests.get("ConfigMap").path("data").path("costlake.yaml").asText();
        new YamlPropertySourceLoader().load("costlake.yaml", new ByteArrayResource(
                costlakeYaml.getBytes(StandardCharsets.UTF_8), "costlake.yaml"))
                .forEach(environment.getPropertySources()::addLast);

        CostlakeProperties properties = Binder.get(environment).bind("costlake", CostlakeProperties.class).get();

        assertThat(new EffectiveSettings(environment).unknown()).isEmpty();
        assertThat(properties.getDb().getUrl()).isEqualTo("from-COSTLAKE_DB_URL");
        assertThat(properties.getDb().getPassword()).isEqualTo("from-COSTLAKE_DB_PASSWORD");
        assertThat(properties.getLake()).isEqualTo("/data/lake");
        assertThat(properties.getLogFormat()).isEqualTo("json");
        assertThat(properties.getModel().getSharedNamespaces()).containsExactly("kube-system", "monitoring");
    }

    @Test
    void systemdAcceptsTheServiceAndTheTimer(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is not installed");
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/systemd-analyze", "verify"));
        for (String unit : List.of("costlake.service", "costlake.timer")) {
            command.add(Files.copy(DEPLOY.resolve(unit), dir.resolve(unit)).toString());
        }
        Process verify = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output.lines().filter(line -> line.contains("costlake"))).as(output).isEmpty();
        assertThat(Files.readString(DEPLOY.resolve("costlake.timer"))).contains("OnCalendar=*-*-* 02:30:00 UTC");
    }

    private static Map<String, JsonNode> environment(JsonNode container) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        container.path("env").forEach(variable -> env.put(variable.path("name").asText(), variable));
        return env;
    }
}
