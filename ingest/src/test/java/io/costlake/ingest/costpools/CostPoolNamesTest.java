package io.costlake.ingest.costpools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CostPoolNamesTest {
    @Test
    void namespacesAreDns1123Labels() {
        assertThat(CostPoolNames.namespaceProblem("payments")).isEmpty();
        assertThat(CostPoolNames.namespaceProblem("ml-training-2")).isEmpty();
        assertThat(CostPoolNames.namespaceProblem("a".repeat(63))).isEmpty();
        for (String invalid : new String[] {"Team A", "team_a", "team.a", "-shop", "shop-", "", "Shop", "a".repeat(64),
                "__idle__"}) {
            assertThat(CostPoolNames.namespaceProblem(invalid)).as(invalid).contains("namespace name must be a "
                    + "DNS-1123 label: at most 63 characters of a-z, 0-9 and '-', starting and ending with a letter or "
                    + "digit");
        }
    }

    @Test
    void labelKeysAreKubernetesQualifiedNames() {
        assertThat(CostPoolNames.labelKeyProblem("cost-pool")).isEmpty();
        assertThat(CostPoolNames.labelKeyProblem("finops.example.com/Cost_Pool.v2")).isEmpty();
        assertThat(CostPoolNames.labelKeyProblem("cost pool")).get().asString().startsWith("must be a Kubernetes label");
        assertThat(CostPoolNames.labelKeyProblem("")).get().asString().startsWith("must be a Kubernetes label");
        assertThat(CostPoolNames.labelKeyProblem("-pool")).get().asString().startsWith("must be a Kubernetes label");
        assertThat(CostPoolNames.labelKeyProblem("a".repeat(64))).get().asString().startsWith("must be a Kubernetes");
        assertThat(CostPoolNames.labelKeyProblem("Example.com/pool")).get().asString()
                .startsWith("the prefix of a label key must be a DNS-1123 subdomain");
        assertThat(CostPoolNames.labelKeyProblem("/pool")).get().asString()
                .startsWith("the prefix of a label key must be a DNS-1123 subdomain");
    }

    @Test
    void poolsAreShortVisibleTextThatIsNotReserved() {
        assertThat(CostPoolNames.poolProblem("team-shop")).isEmpty();
        assertThat(CostPoolNames.poolProblem("Data Science & ML")).isEmpty();
        assertThat(CostPoolNames.poolProblem("unassigned")).isEmpty();
        assertThat(CostPoolNames.poolProblem("")).contains("pool name is empty");
        assertThat(CostPoolNames.poolProblem(null)).contains("pool name is empty");
        assertThat(CostPoolNames.poolProblem("__idle__")).contains("pool name __idle__ is reserved (costlake's rows "
                + "for idle cost and unmounted volumes); choose another");
        assertThat(CostPoolNames.poolProblem("__unmounted__")).get().asString().contains("is reserved");
        assertThat(CostPoolNames.poolProblem(" shop")).contains("pool name ' shop' starts or ends with white space");
        assertThat(CostPoolNames.poolProblem("a\tb")).contains("pool name contains a control character");
        assertThat(CostPoolNames.poolProblem("p".repeat(64))).contains("pool name is 64 characters long; at most 63 "
                + "are allowed (the length of a Kubernetes label value, as pools from the namespace label are)");
    }
}
