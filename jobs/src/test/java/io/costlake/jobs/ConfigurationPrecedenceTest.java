package io.costlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.db.testing.TestDatabase;

/**
 * DESIGN §8: {@code costlake.yaml} &lt; environment variables {@code COSTLAKE_*} &lt; flags, checked the way a
 * CronJob sets them, in a process of its own; and a bad value stops the command with one precise line and exit
 * code 3.
 */
class ConfigurationPrecedenceTest {
    private static final Pattern SETTING = Pattern.compile("^(costlake\\.\\S+) = (.*?)  \\[(.+)]$");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Test
    void environmentOverridesTheConfigFileAndFlagsOverrideBoth() throws Exception {
        Path filePrices = Files.writeString(dir.resolve("prices-file.yaml"), "currency: USD\n");
        Path envPrices = Files.writeString(dir.resolve("prices-env.yaml"), "currency: USD\n");
        // ./costlake.yaml of the working directory; its database URL leads nowhere, so the command only
        // succeeds if COSTLAKE_DB_URL wins over it.
        Files.writeString(dir.resolve("costlake.yaml"), """
                costlake:
                  cluster: from-file
                  lake: /data/from-file
                  prices: %s
                  db:
                    url: jdbc:postgresql://127.0.0.1:1/unreachable
                  model:
                    step-seconds: 3600
                    shared-namespaces: [kube-system, monitoring]
                """.formatted(filePrices));
        String schema = TestDatabase.freshSchema("precedence");

        CostlakeProcess.Result config = CostlakeProcess.in(dir)
                .env("COSTLAKE_DB_URL", TestDatabase.URL)
                .env("COSTLAKE_DB_SCHEMA", schema)
                .env("COSTLAKE_LAKE", "/data/from-env")
                .env("COSTLAKE_PRICES", envPrices.toString())
                .env("COSTLAKE_MODEL_STEPSECONDS", "900")
                .env("COSTLAKE_IDLE_GPU_MIN_IDLE_HOURS", "3") // dashes as underscores bind too
                .env("COSTLAKE_PROMETHEUS_TOKEN", "typo") // not a setting: said, not silently ignored
                .run(TIMEOUT, "config", "--lake", "/data/from-flag");

        assertThat(config.exitCode()).as(config.toString()).isZero();
        Map<String, String> settings = settings(config);
        assertThat(settings).containsEntry("costlake.cluster", "from-file  [costlake.yaml:2]")
                .containsEntry("costlake.model.shared-namespaces", "kube-system,monitoring  [costlake.yaml:9]")
                .containsEntry("costlake.db.url", TestDatabase.URL + "  [env COSTLAKE_DB_URL]")
                .containsEntry("costlake.db.schema", schema + "  [env COSTLAKE_DB_SCHEMA]")
                .containsEntry("costlake.prices", envPrices + "  [env COSTLAKE_PRICES]")
                .containsEntry("costlake.model.step-seconds", "900  [env COSTLAKE_MODEL_STEPSECONDS]")
                .containsEntry("costlake.idle-gpu.min-idle-hours", "3  [env COSTLAKE_IDLE_GPU_MIN_IDLE_HOURS]")
                .containsEntry("costlake.lake", "/data/from-flag  [flag]")
                .containsEntry("costlake.out", "costlake-data/reports  [default]");
        assertThat(config.stdout()).contains(
                "not a setting, ignored: costlake.prometheus.token  [env COSTLAKE_PROMETHEUS_TOKEN]");
        assertThat(String.join("\n", config.stdout())).contains("costlake.prometheus.token is not a costlake setting")
                .doesNotContain("typo");
    }

    @Test
    void valueOfTheWrongTypeNamesTheSettingTheValueAndTheVariableWithExitCode3() throws Exception {
        CostlakeProcess.Result config = CostlakeProcess.in(dir)
                .env("COSTLAKE_DB_URL", TestDatabase.URL)
                .env("COSTLAKE_MODEL_STEPSECONDS", "sixty")
                .run(TIMEOUT, "config");

        assertThat(config.exitCode()).as(config.toString()).isEqualTo(3);
        assertThat(config.stderr()).containsExactly("costlake config: costlake.model.step-seconds: 'sixty' is not a "
                + "valid int (from env COSTLAKE_MODEL_STEPSECONDS; For input string: \"sixty\")");
    }

    @Test
    void unknownLogFormatIsAConfigurationErrorWithExitCode3() throws Exception {
        CostlakeProcess.Result config = CostlakeProcess.in(dir)
                .env("COSTLAKE_DB_URL", TestDatabase.URL)
                .env("COSTLAKE_DB_SCHEMA", TestDatabase.freshSchema("precedence"))
                .env("COSTLAKE_LOG_FORMAT", "xml")
                .run(TIMEOUT, "config");

        assertThat(config.exitCode()).as(config.toString()).isEqualTo(3);
        assertThat(config.stderr()).containsExactly(
                "costlake config: costlake.log-format must be 'text' or 'json', got 'xml'");
    }

    /** {@code costlake.x = value  [origin]} lines → name → "value  [origin]". */
    private static Map<String, String> settings(CostlakeProcess.Result config) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : config.stdout()) {
            Matcher setting = SETTING.matcher(line);
            if (setting.matches()) {
                settings.put(setting.group(1), setting.group(2) + "  [" + setting.group(3) + "]");
            }
        }
        return settings;
    }
}
