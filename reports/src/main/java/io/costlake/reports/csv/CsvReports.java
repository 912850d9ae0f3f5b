package io.costlake.reports.csv;

import static io.costlake.db.generated.Tables.COST_POOL_DAILY;
import static io.costlake.db.generated.Tables.COST_RUN;
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
        files.add(write(outDir.resolve("run-audit_" + period.label() + ".csv"),
                dsl.selectFrom(COST_RUN).where(COST_RUN.DAY.between(period.from(), period.to()))
                        .and(period.cluster().map(COST_RUN.CLUSTER::eq).orElse(DSL.noCondition()))
                        .orderBy(COST_RUN.DAY, COST_RUN.CLUSTER, COST_RUN.RUN_ID)));
        return files;
    }

    private ResultQuery<Record> daily(Table<?> table, ReportPeriod period, Field<String> poolField,
            org.jooq.SortField<?> order, Field<?> tieBreak) {
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
        return dsl.select(fields).from(table).where(condition).orderBy(day.asc(), cluster.asc(), order, tieBreak.asc());
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
            return instant.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
        return value.toString();
    }
}
