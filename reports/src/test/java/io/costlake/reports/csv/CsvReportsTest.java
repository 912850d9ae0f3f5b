package io.costlake.reports.csv;

import static io.costlake.db.generated.Tables.GPU_UNALLOCATED_DAILY;
import static io.costlake.db.generated.Tables.LABEL_COST_DAILY;
import static io.costlake.db.generated.Tables.NAMESPACE_COST_DAILY;
import static io.costlake.db.generated.Tables.WORKLOAD_COST_DAILY;
import static io.costlake.reports.fixture.TwoDayCluster.DAY_1;
import static io.costlake.reports.fixture.TwoDayCluster.DAY_2;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.db.schema.CostSchema;
import io.costlake.reports.ReportPeriod;
import io.costlake.reports.fixture.CostFixture;
import io.costlake.reports.fixture.TestDatabase;
import io.costlake.reports.fixture.TwoDayCluster;

class CsvReportsTest {
    private static final ReportPeriod NOVEMBER_1_TO_2 = ReportPeriod.of(DAY_1, DAY_2);

    private static CostSchema schema;

    @TempDir
    Path out;

    @BeforeAll
    static void migrate() {
        schema = TestDatabase.freshSchema("reports_csv_test");
    }

    @BeforeEach
    void writeTwoDays() {
        TestDatabase.clear(schema);
        TwoDayCluster.write(new CostFixture(schema));
    }

    @Test
    void writesOneFilePerReportNamedAfterThePeriod() {
        List<Path> files = new CsvReports(schema).write(NOVEMBER_1_TO_2, out);

        assertThat(files).extracting(f -> f.getFileName().toString()).containsExactly(
                "namespace-costs_2026-11-01_2026-11-02.csv",
                "workload-costs_2026-11-01_2026-11-02.csv",
                "cost-pools_2026-11-01_2026-11-02.csv",
                "node-costs_2026-11-01_2026-11-02.csv",
                "storage-costs_2026-11-01_2026-11-02.csv",
                "storage-per-tb-month_2026-11-01_2026-11-02.csv",
                "label-costs_2026-11-01_2026-11-02.csv",
                "idle-gpu-findings_2026-11-01_2026-11-02.csv",
                "gpu-unallocated_2026-11-01_2026-11-02.csv",
                "run-audit_2026-11-01_2026-11-02.csv");
        assertThat(files).allSatisfy(file -> assertThat(file).exists());
    }

    @Test
    void namespaceAndWorkloadCsvsHoldTheDatabaseRowsValueForValue() throws IOException {
        new CsvReports(schema).write(NOVEMBER_1_TO_2, out);

        assertCsvEqualsTable(out.resolve("namespace-costs_2026-11-01_2026-11-02.csv"), NAMESPACE_COST_DAILY, 10);
        assertCsvEqualsTable(out.resolve("workload-costs_2026-11-01_2026-11-02.csv"), WORKLOAD_COST_DAILY, 6);
        List<CSVRecord> namespaces = parse(out.resolve("namespace-costs_2026-11-01_2026-11-02.csv"));
        // Day by day, costliest first; the Chinese name survives UTF-8 unchanged.
        assertThat(namespaces).extracting(r -> r.get("day") + " " + r.get("namespace") + " " + r.get("total_cost"))
                .containsExactly(
                        "2026-11-01 ml-training 117.000000", "2026-11-01 __idle__ 33.000000",
                        "2026-11-01 web 33.000000", "2026-11-01 数据平台 7.000000",
                        "2026-11-01 __unmounted__ 1.000000",
                        "2026-11-02 ml-training 120.000000", "2026-11-02 __idle__ 40.000000",
                        "2026-11-02 web 30.000000", "2026-11-02 数据平台 8.000000",
                        "2026-11-02 __unmounted__ 1.000000");
    }

    @Test
    void labelCostsCsvHoldsEachLabelsValuesDayByDayCostliestFirst() throws IOException {
        new CsvReports(schema).write(NOVEMBER_1_TO_2, out);

        Path file = out.resolve("label-costs_2026-11-01_2026-11-02.csv");
        assertCsvEqualsTable(file, LABEL_COST_DAILY, 8);
        assertThat(parse(file)).extracting(r -> r.get("day") + " " + r.get("label_key") + "=" + r.get("label_value")
                        + " " + r.get("total_cost") + " " + r.get("cpu_efficiency"))
                .containsExactly(
                        "2026-11-01 team=ml-team 117.000000 0.25", "2026-11-01 team=web-team 40.000000 0.5",
                        "2026-11-01 team=__idle__ 33.000000 ", "2026-11-01 team=__unmounted__ 1.000000 ",
                        "2026-11-02 team=ml-team 120.000000 0.25", "2026-11-02 team=__idle__ 40.000000 ",
                        "2026-11-02 team=web-team 38.000000 0.5", "2026-11-02 team=__unmounted__ 1.000000 ");
    }

    @Test
    void idleGpuFindingsListEpisodesOverlappingThePeriodCostliestFirstWithIsoInstants() throws IOException {
        new CsvReports(schema).write(NOVEMBER_1_TO_2, out);

        List<CSVRecord> findings = parse(out.resolve("idle-gpu-findings_2026-11-01_2026-11-02.csv"));

        assertThat(findings.get(0).getParser().getHeaderNames()).containsExactly("cluster", "day", "node", "gpu_uuid",
                "gpu_model", "mig_profile", "mig_instance", "namespace", "pod", "workload_kind", "workload_name",
                "start_at", "end_at", "hours", "mean_util", "max_util", "mem_used_mib", "wasted_cost",
                "recommendation");
        // The October episode ends before the period; the one crossing midnight into Nov 1 is listed whole.
        assertThat(findings).extracting(r -> String.join(" ", r.get("pod"), r.get("start_at"), r.get("end_at"),
                r.get("hours"), r.get("mean_util"), r.get("wasted_cost"))).containsExactly(
                        "trainer-0 2026-11-01T02:00:00Z 2026-11-01T08:00:00Z 6 1.25 15.000000",
                        "notebook-0 2026-11-02T10:00:00Z 2026-11-02T14:00:00Z 4 0.5 10.000000",
                        "eval-0 2026-10-31T22:00:00Z 2026-11-01T02:00:00Z 4 2.0 8.000000");
        assertThat(findings.get(0).get("recommendation"))
                .isEqualTo("Scale trainer-0 to zero when idle or share the GPU with time-slicing");
        assertThat(findings.get(0).get("mig_profile")).isEmpty();
    }

    @Test
    void unallocatedGpuCapacityCsvHoldsTheDatabaseRows() throws IOException {
        new CsvReports(schema).write(NOVEMBER_1_TO_2, out);

        Path file = out.resolve("gpu-unallocated_2026-11-01_2026-11-02.csv");
        assertCsvEqualsTable(file, GPU_UNALLOCATED_DAILY, 3);
        assertThat(parse(file)).extracting(r -> String.join(" ", r.get("day"), r.get("node"), r.get("gpu_uuid"),
                r.get("unallocated_hours"), r.get("unallocated_cost"))).containsExactly(
                        "2026-11-01 gpu-node-1 GPU-eeee 24.0 24.000000",
                        "2026-11-02 gpu-node-1 GPU-eeee 24.0 24.000000",
                        "2026-11-02 gpu-node-1 GPU-ffff 7.0 7.000000");
    }

    @Test
    void storageCostPerTbMonthIsCostOverTerabyteMonthsPerNamespace() throws IOException {
        new CsvReports(schema).write(NOVEMBER_1_TO_2, out);

        List<CSVRecord> rows = parse(out.resolve("storage-per-tb-month_2026-11-01_2026-11-02.csv"));

        assertThat(rows.get(0).getParser().getHeaderNames()).containsExactly("cluster", "namespace", "volumes",
                "gib_hours", "tb_months", "storage_cost", "cost_per_tb_month");
        // web: 100 GiB x 48 h = 4800 GiB-h = 4800 / (1024 x 730) TB-months; $6 / that = $934.40 per TB-month.
        assertThat(rows).extracting(r -> String.join(" ", r.get("cluster"), r.get("namespace"), r.get("volumes"),
                r.get("gib_hours"), r.get("tb_months"), r.get("storage_cost"), r.get("cost_per_tb_month")))
                .containsExactly(
                        "prod web 1 4800.0 0.006421233 6.000000 934.400000",
                        "prod ml-training 1 24576.0 0.032876712 4.000000 121.666667",
                        "prod __unmounted__ 1 2400.0 0.003210616 2.000000 622.933333");
    }

    @Test
    void costPoolNarrowsIdleGpuFindingsAndStorageToThePoolsNamespaces() throws IOException {
        ReportPeriod webOnly = new ReportPeriod(DAY_1, DAY_2, Optional.of("prod"), Optional.of("web"));

        new CsvReports(schema).write(webOnly, out);

        assertThat(parse(out.resolve("idle-gpu-findings_2026-11-01_2026-11-02.csv"))).isEmpty();
        assertThat(parse(out.resolve("storage-per-tb-month_2026-11-01_2026-11-02.csv")))
                .extracting(r -> r.get("namespace")).containsExactly("web");
        assertThat(parse(out.resolve("namespace-costs_2026-11-01_2026-11-02.csv")))
                .extracting(r -> r.get("namespace")).containsOnly("web");
    }

    @Test
    void emptyPeriodWritesHeaderOnlyFiles() throws IOException {
        ReportPeriod december = ReportPeriod.of(LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 1));

        List<Path> files = new CsvReports(schema).write(december, out);

        assertThat(files).hasSize(10);
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            assertThat(lines).as(file.toString()).hasSize(1);
            // The run audit is about runs, so it keeps run_id; result files leave the internal id out.
            assertThat(lines.get(0)).as(file.toString())
                    .startsWith(file.getFileName().toString().startsWith("run-audit") ? "run_id,cluster," : "cluster,");
        }
    }

    /** Every CSV row equals the table's row in the same order, column by column (all columns but run_id). */
    private static void assertCsvEqualsTable(Path csv, Table<?> table, int expectedRows) throws IOException {
        List<CSVRecord> records = parse(csv);
        List<Field<?>> fields = new ArrayList<>();
        for (Field<?> field : table.fields()) {
            if (!field.getName().equals("run_id")) {
                fields.add(field);
            }
        }
        assertThat(records.get(0).getParser().getHeaderNames())
                .containsExactlyElementsOf(fields.stream().map(Field::getName).toList());
        Result<Record> rows = schema.dsl().select(fields).from(table).fetch();
        assertThat(records).hasSize(expectedRows).hasSameSizeAs(rows);
        for (CSVRecord record : records) {
            Record match = rows.stream().filter(row -> sameKey(row, record)).findFirst().orElseThrow(
                    () -> new AssertionError("no database row for " + record));
            for (Field<?> field : fields) {
                Object value = match.get(field);
                String cell = record.get(field.getName());
                if (value == null) {
                    assertThat(cell).as(field.getName()).isEmpty();
                } else if (value instanceof BigDecimal decimal) {
                    assertThat(new BigDecimal(cell)).as(field.getName()).isEqualByComparingTo(decimal);
                } else if (value instanceof Double number) {
                    assertThat(Double.parseDouble(cell)).as(field.getName()).isEqualTo(number);
                } else {
                    assertThat(cell).as(field.getName()).isEqualTo(value.toString());
                }
            }
        }
    }

    /** The primary key columns that are text or dates identify the row (day, cluster, names). */
    private static boolean sameKey(Record row, CSVRecord record) {
        for (Field<?> field : row.fields()) {
            Object value = row.get(field);
            if ((value instanceof String || value instanceof LocalDate)
                    && !value.toString().equals(record.get(field.getName()))) {
                return false;
            }
        }
        return true;
    }

    private static List<CSVRecord> parse(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                        .parse(reader)) {
            return parser.getRecords();
        }
    }
}
