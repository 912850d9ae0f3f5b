package io.costlake.reports.csv;

import static io.costlake.db.generated.Tables.COST_POOL_DAILY;
import static io.costlake.db.generated.Tables.COST_RUN;
import static io.costlake.db.generated.Tables.GPU_UNALLOCATED_DAILY;
import static io.costlake.db.generated.Tables.IDLE_GPU_EPISODE;
import static io.costlake.db.generated.Tables.LABEL_COST_DAILY;
import static io.costlake.db.generated.Tables.NAMESPACE_COST_DAILY;
import static io.costlake.db.generated.Tables.NODE_COST_DAILY;
import static io.costlake.db.generated.Tables.STORAGE_COST_DAILY;
import static io.costlake.db.generated.Tables.WORKLOAD_COST_DAILY;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.Table;
import org.jooq.impl.DSL;

import io.costlake.db.schema.CostSchema;
import io.costlake.reports.ReportPeriod;

/**
 * CSV reports (DESIGN §7): RFC 4180, UTF-8, a header row, ISO dates, dot decimals without thousands
 * separators or exponents, one file per result table for the period.
 */
public final class CsvReports {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

    /** GiB-hours in a TB-month: 1024 GiB for 730 hours (the FinOps / cloud-billing month). */
    private static final BigDecimal GIB_HOURS_PER_TB_MONTH = BigDecimal.valueOf(1024L * 730);

    private final DSLContext dsl;

    public CsvReports(CostSchema schema) {
        this.dsl = requireNonNull(schema, "schema is null").dsl();
    }

    /** Writes the period's CSV files into {@code outDir} and returns them. */
    public List<Path> write(ReportPeriod period, Path outDir) {
        requireNonNull(period, "period is null");
        requireNonNull(outDir, "outDir is null");
        List<Path> files = new ArrayList<>();
        files.add(write(outDir.resolve("namespace-costs_" + period.label() + ".csv"),
                daily(NAMESPACE_COST_DAILY, period, NAMESPACE_COST_DAILY.COST_POOL,
                        NAMESPACE_COST_DAILY.TOTAL_COST.desc(), NAMESPACE_COST_DAILY.NAMESPACE)));
        files.add(write(outDir.resolve("workload-costs_" + period.label() + ".csv"),
                daily(WORKLOAD_COST_DAILY, period, WORKLOAD_COST_DAILY.COST_POOL,
                        WORKLOAD_COST_DAILY.TOTAL_COST.desc(), WORKLOAD_COST_DAILY.WORKLOAD_NAME)));
        files.add(write(outDir.resolve("cost-pools_" + period.label() + ".csv"),
                daily(COST_POOL_DAILY, period, COST_POOL_DAILY.COST_POOL, COST_POOL_DAILY.TOTAL_COST.desc(),
                        COST_POOL_DAILY.COST_POOL)));
        files.add(write(outDir.resolve("node-costs_" + period.label() + ".csv"),
                daily(NODE_COST_DAILY, period, null, NODE_COST_DAILY.TOTAL_COST.desc(), NODE_COST_DAILY.NODE)));
        files.add(write(outDir.resolve("storage-costs_" + period.label() + ".csv"),
                daily(STORAGE_COST_DAILY, period, null, STORAGE_COST_DAILY.STORAGE_COST.desc(),
                        STORAGE_COST_DAILY.PERSISTENTVOLUME)));
        files.add(write(outDir.resolve("storage-per-tb-month_" + period.label() + ".csv"), storagePerTbMonth(period)));
        // Costs by label (costlake.model.aggregate-labels) are not split by cost pool: with --pool, all of them.
        files.add(write(outDir.resolve("label-costs_" + period.label() + ".csv"),
                daily(LABEL_COST_DAILY, period, null, LABEL_COST_DAILY.LABEL_KEY.asc(),
                        LABEL_COST_DAILY.TOTAL_COST.desc(), LABEL_COST_DAILY.LABEL_VALUE)));
        files.add(write(outDir.resolve("idle-gpu-findings_" + period.label() + ".csv"), idleGpuFindings(period)));
        files.add(write(outDir.resolve("gpu-unallocated_" + period.label() + ".csv"),
                daily(GPU_UNALLOCATED_DAILY, period, null, GPU_UNALLOCATED_DAILY.UNALLOCATED_COST.desc(),
                        GPU_UNALLOCATED_DAILY.NODE, GPU_UNALLOCATED_DAILY.GPU_UUID)));
        files.add(write(outDir.resolve("run-audit_" + period.label() + ".csv"),
                dsl.selectFrom(COST_RUN).where(COST_RUN.DAY.between(period.from(), period.to()))
                        .and(period.cluster().map(COST_RUN.CLUSTER::eq).orElse(DSL.noCondition()))
                        .orderBy(COST_RUN.DAY, COST_RUN.CLUSTER, COST_RUN.RUN_ID)));
        return files;
    }

    /**
     * Idle-GPU episodes (DESIGN §5) overlapping the period, costliest first; an episode that crosses the
     * period's edge is listed whole. With a cost pool, the episodes of that pool's namespaces.
     */
    private ResultQuery<Record> idleGpuFindings(ReportPeriod period) {
        var e = IDLE_GPU_EPISODE;
        List<Field<?>> fields = new ArrayList<>();
        for (Field<?> field : e.fields()) {
            if (!field.getName().equals("run_id")) {
                fields.add(field);
            }
        }
        OffsetDateTime from = period.from().atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime to = period.to().plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        return dsl.select(fields).from(e)
                .where(e.START_AT.lt(to)).and(e.END_AT.gt(from))
                .and(period.cluster().map(e.CLUSTER::eq).orElse(DSL.noCondition()))
                .and(inPool(period, e.CLUSTER, e.NAMESPACE))
                .orderBy(e.WASTED_COST.desc(), e.CLUSTER, e.START_AT, e.GPU_UUID, e.MIG_INSTANCE, e.POD);
    }

    /**
     * Storage cost per TB-month per namespace, the FinOps unit price of storage: storage cost divided by
     * TB-months, where a TB-month is 1024 GiB held for 730 hours. Computed from the summed GiB-hours (not
     * the rounded TB-months) and left empty for a namespace whose volumes had no size.
     */
    private ResultQuery<? extends Record> storagePerTbMonth(ReportPeriod period) {
        var s = STORAGE_COST_DAILY;
        Field<Double> gibHours = DSL.sum(s.GIB.mul(s.HOURS)).cast(Double.class).as("gib_hours");
        Field<BigDecimal> gibHoursExact = DSL.sum(s.GIB.mul(s.HOURS)).cast(BigDecimal.class);
        Field<BigDecimal> cost = DSL.sum(s.STORAGE_COST);
        Field<BigDecimal> tbMonths = DSL.round(gibHoursExact.div(GIB_HOURS_PER_TB_MONTH), 9).as("tb_months");
        Field<BigDecimal> perTbMonth = DSL.round(cost.mul(GIB_HOURS_PER_TB_MONTH)
                .div(DSL.nullif(gibHoursExact, BigDecimal.ZERO)), 6).as("cost_per_tb_month");
        return dsl.select(s.CLUSTER, s.NAMESPACE, DSL.countDistinct(s.PERSISTENTVOLUME).as("volumes"), gibHours,
                        tbMonths, cost.as("storage_cost"), perTbMonth)
                .from(s)
                .where(s.DAY.between(period.from(), period.to()))
                .and(period.cluster().map(s.CLUSTER::eq).orElse(DSL.noCondition()))
                .and(inPool(period, s.CLUSTER, s.NAMESPACE))
                .groupBy(s.CLUSTER, s.NAMESPACE)
                .orderBy(s.CLUSTER, cost.desc(), s.NAMESPACE);
    }

    /** Rows whose namespace belonged to the report's cost pool during the period (all rows without one). */
    private Condition inPool(ReportPeriod period, Field<String> cluster, Field<String> namespace) {
        if (period.costPool().isEmpty()) {
            return DSL.noCondition();
        }
        var n = NAMESPACE_COST_DAILY;
        return DSL.row(cluster, namespace).in(dsl.selectDistinct(n.CLUSTER, n.NAMESPACE).from(n)
                .where(n.DAY.between(period.from(), period.to()))
                .and(n.COST_POOL.eq(period.costPool().get())));
    }

    private ResultQuery<Record> daily(Table<?> table, ReportPeriod period, Field<String> poolField,
            org.jooq.SortField<?> order, org.jooq.OrderField<?>... tieBreaks) {
        Field<LocalDate> day = table.field("day", LocalDate.class);
        Field<String> cluster = table.field("cluster", String.class);
        Condition condition = day.between(period.from(), period.to())
                .and(period.cluster().map(cluster::eq).orElse(DSL.noCondition()));
        if (poolField != null && period.costPool().isPresent()) {
            condition = condition.and(poolField.eq(period.costPool().get()));
        }
        List<Field<?>> fields = new ArrayList<>();
        for (Field<?> field : table.fields()) {
            if (!field.getName().equals("run_id")) {
                fields.add(field);
            }
        }
        List<org.jooq.OrderField<?>> ordering = new ArrayList<>(List.of(day.asc(), cluster.asc(), order));
        // A field sorts ascending; a tie-break may also be a descending sort field.
        ordering.addAll(List.of(tieBreaks));
        return dsl.select(fields).from(table).where(condition).orderBy(ordering);
    }

    private static Path write(Path file, ResultQuery<? extends Record> query) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                    CSVPrinter printer = new CSVPrinter(writer, FORMAT)) {
                try (var cursor = query.fetchLazy()) {
                    Field<?>[] fields = cursor.fields();
                    List<String> header = new ArrayList<>();
                    for (Field<?> field : fields) {
                        header.add(field.getName());
                    }
                    printer.printRecord(header);
                    for (Record record : cursor) {
                        List<String> values = new ArrayList<>(fields.length);
                        for (int i = 0; i < fields.length; i++) {
                            values.add(format(record.get(i)));
                        }
                        printer.printRecord(values);
                    }
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** ISO dates and instants, plain decimals (never 1.0E-5), empty for SQL NULL. */
    static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Double number) {
            return Double.isFinite(number) ? BigDecimal.valueOf(number).toPlainString() : number.toString();
        }
        if (value instanceof OffsetDateTime instant) {
            // Instants in UTC ("2026-11-02T03:00:00Z") whatever the session time zone the driver used.
            return instant.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
        return value.toString();
    }
}
