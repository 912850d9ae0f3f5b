package io.costlake.jobs;

import static io.costlake.jobs.Captured.capture;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.db.testing.TestDatabase;

/** Configuration precedence, validation and exit codes: what scripts and CronJobs rely on. */
class CommandLineContractTest {
    @TempDir
    Path dir;

    @Test
    void flagsOverrideTheConfigFileAndSecretsAreMasked() throws Exception {
        Path config = Files.writeString(dir.resolve("costlake.yaml"), """
                costlake:
                  cluster: from-file
                  lake: /data/from-file
                  db:
                    password: hunter2
                """);
        Captured out = capture(() -> CostlakeCommand.execute("config", "--config", config.toString(), "--db",
                TestDatabase.URL + "?password=hunter2", "--cluster", "from-flag", "--db-schema",
                TestDatabase.freshSchema("config")));

        assertThat(out.code()).isZero();
        assertThat(out.stdout()).contains("costlake.cluster = from-flag").contains("costlake.lake = /data/from-file")
                .contains("costlake.db.password = ***").doesNotContain("hunter2");
    }

    @Test
    void invalidSettingExitsWithCode3AndNamesTheSetting() throws Exception {
        Path config = Files.writeString(dir.resolve("costlake.yaml"), """
                costlake:
                  model:
                    shared-weighting: by-headcount
                """);
        Captured out = capture(() -> CostlakeCommand.execute("report", "--from", "2026-03-01", "--to", "2026-03-01",
                "--config", config.toString(), "--db", TestDatabase.URL, "--db-schema",
                TestDatabase.freshSchema("config"), "--out", dir.toString()));

        assertThat(out.code()).isEqualTo(3);
        assertThat(out.stderr()).contains("costlake.model.shared-weighting must be 'cost' or 'even'")
                .contains("by-headcount");
    }

    @Test
    void brokenPriceBookExitsWithCode3AndSaysWhereAndWhat() throws Exception {
        Path prices = Files.writeString(dir.resolve("prices.yaml"), """
                instanceTypes:
                  m5.large: {hourly: cheap}
                """);
        Captured out = capture(() -> CostlakeCommand.execute("run", "--date", "2026-03-01", "--metrics",
                dir.toString(), "--prices", prices.toString(), "--db", TestDatabase.URL, "--db-schema",
                TestDatabase.freshSchema("config"), "--lake", dir.resolve("lake").toString()));

        assertThat(out.code()).isEqualTo(3);
        assertThat(out.stderr()).contains("prices.yaml: instanceTypes.m5.large.hourly: expected a number, got 'cheap'");
    }

    @Test
    void unreachablePrometheusFailsWithExitCode4AndNamesTheServer() throws Exception {
        Path config = Files.writeString(dir.resolve("costlake.yaml"), """
                costlake:
                  prometheus-client:
                    retries: 1
                    timeout-seconds: 2
                """);
        Captured out = capture(() -> CostlakeCommand.execute("run", "--date", "2026-03-01", "--prometheus",
                "http://127.0.0.1:9", "--config", config.toString(), "--db", TestDatabase.URL, "--db-schema",
                TestDatabase.freshSchema("config"), "--lake", dir.resolve("lake").toString()));

        assertThat(out.code()).isEqualTo(4);
        assertThat(out.stderr()).contains("http://127.0.0.1:9");
    }

    @Test
    void unknownOptionIsAUsageErrorWithCode2() {
        Captured out = capture(() -> CostlakeCommand.execute("run", "--date", "2026-03-01", "--colour"));

        assertThat(out.code()).isEqualTo(2);
        assertThat(out.stderr()).contains("Unknown option: '--colour'");
    }
}
