package io.costlake.jobs;

import static io.costlake.jobs.testing.Console.capture;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.jobs.testing.Console;
import io.costlake.db.testing.TestDatabase;

/**
 * The cost-pool settings (namespace label, namespace → pool mapping) are checked when costlake starts: every
 * mistake is reported with file and line, key and what is wrong, and the command exits with 3 before any work.
 */
class CostPoolConfigurationTest {
    private static final String DNS_LABEL = "namespace name must be a DNS-1123 label: at most 63 characters of a-z, "
            + "0-9 and '-', starting and ending with a letter or digit";

    @TempDir
    Path dir;

    @Test
    void everyMistakeInTheCostPoolSettingsIsReportedWithFileLineAndKeyAndExitsWith3() throws Exception {
        Path config = Files.writeString(dir.resolve("costlake.yaml"), """
                costlake:
                  model:
                    cost-pool-label: cost pool
                    cost-pools:
                      payments: finance
                      "Team A": team-a
                      team_b: platform
                      checkout: ""
                      search: __idle__
                      ml-serving: "%s"
                      "[kube.system]": platform
                """.formatted("m".repeat(64)));

        Console out = capture(() -> CostlakeCommand.execute("run", "--date", "2026-03-01", "--metrics",
                dir.toString(), "--config", config.toString(), "--db", TestDatabase.URL, "--db-schema",
                TestDatabase.freshSchema("pools"), "--lake", dir.resolve("lake").toString()));

        assertThat(out.code()).isEqualTo(3);
        String file = config.toAbsolutePath().toString();
        assertThat(out.stderr()).contains(
                file + ":3: costlake.model.cost-pool-label: must be a Kubernetes label key: an optional prefix and '/', "
                        + "then at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with "
                        + "a letter or digit",
                file + ":6: costlake.model.cost-pools.\"Team A\": " + DNS_LABEL,
                file + ":7: costlake.model.cost-pools.\"team_b\": " + DNS_LABEL,
                file + ":8: costlake.model.cost-pools.\"checkout\": pool name is empty",
                file + ":9: costlake.model.cost-pools.\"search\": pool name __idle__ is reserved (costlake's rows for "
                        + "idle cost and unmounted volumes); choose another",
                file + ":10: costlake.model.cost-pools.\"ml-serving\": pool name is 64 characters long; at most 63 are "
                        + "allowed",
                file + ":11: costlake.model.cost-pools.\"kube.system\": " + DNS_LABEL);
        assertThat(out.stderr()).doesNotContain("\"payments\"");
    }

    @Test
    void aValidMappingAndAPrefixedLabelKeyAreAccepted() throws Exception {
        Path config = Files.writeString(dir.resolve("costlake.yaml"), """
                costlake:
                  model:
                    cost-pool-label: finops.example.com/cost-pool
                    cost-pools:
                      payments: finance
                      ml-training: "Data Science & ML"
                """);

        Console out = capture(() -> CostlakeCommand.execute("config", "--config", config.toString(), "--db",
                TestDatabase.URL, "--db-schema", TestDatabase.freshSchema("pools")));

        assertThat(out.code()).as(out.stderr()).isZero();
        assertThat(out.stdout()).contains("costlake.model.cost-pools.ml-training = Data Science & ML");
    }
}
