package io.costlake.db.store;

import static io.costlake.db.generated.Tables.CONTAINER_COST_HOURLY;
import static io.costlake.db.generated.Tables.COST_RUN;
import static java.util.Objects.requireNonNull;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.PGCopyOutputStream;

import io.costlake.db.schema.CostSchema;

/**
 * Writes runs and their results. A (cluster, day) is replaced in one transaction: the previous rows are
 * deleted and the new ones bulk-loaded, so readers see either the old day or the new one, and a failure
 * leaves the old day intact.
 */
public final class CostStore {
    private static final int BULK_ROWS = 500;
    private static final CSVFormat COPY_CSV = CSVFormat.POSTGRESQL_CSV;

    private final DSLContext dsl;

    public CostStore(CostSchema schema) {
        this.dsl = requireNonNull(schema, "schema is null").dsl();
    }

    /** Records a run as started now and returns its id. */
    public long startRun(String cluster, LocalDate day, String source) {
        return startRun(cluster, day, source, now());
    }

    /** Records a run that started at {@code startedAt} (e.g. when its job began) and returns its id. */
    public long startRun(String cluster, LocalDate day, String source, OffsetDateTime startedAt) {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(day, "day is null");
        requireNonNull(startedAt, "startedAt is null");
        return dsl.insertInto(COST_RUN)
                .set(COST_RUN.CLUSTER, cluster)
                .set(COST_RUN.DAY, day)
                .set(COST_RUN.STATUS, "running")
                .set(COST_RUN.STARTED_AT, startedAt)
                .set(COST_RUN.SOURCE, source)
                .returning(COST_RUN.RUN_ID)
                .fetchOne()
                .getRunId();
    }

    public void failRun(long runId, String message) {
        dsl.update(COST_RUN)
                .set(COST_RUN.STATUS, "failed")
                .set(COST_RUN.FINISHED_AT, now())
                .set(COST_RUN.MESSAGE, message)
                .where(COST_RUN.RUN_ID.eq(runId))
                .execute();
    }

    /**
     * Replaces the (cluster, day) results with {@code results} and marks the run succeeded, atomically.
     * Returns the number of result rows stored.
     */
    public long completeDay(long runId, RunOutcome outcome, List<DayRows> results) {
        requireNonNull(outcome, "outcome is null");
        requireNonNull(results, "results is null");
        return dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            for (ResultTable table : ResultTable.values()) {
                Table<?> target = table.table();
                tx.deleteFrom(target)
                        .where(field(target, "cluster").eq(outcome.cluster()))
                        .and(field(target, "day").eq(outcome.day()))
                        .execute();
            }
            long stored = 0;
            for (DayRows rows : results) {
                stored += load(tx, runId, rows);
            }
            int updated = tx.update(COST_RUN)
                    .set(COST_RUN.STATUS, "succeeded")
                    .set(COST_RUN.FINISHED_AT, now())
                    .set(COST_RUN.SAMPLES_READ, outcome.samplesRead())
                    .set(COST_RUN.SAMPLES_LOADED, outcome.samplesLoaded())
                    .set(COST_RUN.SAMPLES_QUARANTINED, outcome.samplesQuarantined())
                    .set(COST_RUN.SAMPLES_IGNORED, outcome.samplesIgnored())
                    .set(COST_RUN.SAMPLES_OTHER_DAY, outcome.samplesOtherDay())
                    .set(COST_RUN.CONTAINER_SAMPLES, outcome.containerSamples())
                    .set(COST_RUN.UNPRICED_SAMPLES, outcome.unpricedSamples())
                    .set(COST_RUN.NODE_COST, BigDecimal.valueOf(outcome.nodeCost()))
                    .set(COST_RUN.VOLUME_COST, BigDecimal.valueOf(outcome.volumeCost()))
                    .set(COST_RUN.NAMESPACE_COST, BigDecimal.valueOf(outcome.namespaceCost()))
                    .set(COST_RUN.CONSERVATION_DELTA, outcome.conservationDelta())
                    .set(COST_RUN.CONSERVATION_RELATIVE_DELTA, outcome.conservationRelativeDelta())
                    .where(COST_RUN.RUN_ID.eq(runId))
                    .and(COST_RUN.CLUSTER.eq(outcome.cluster()))
                    .and(COST_RUN.DAY.eq(outcome.day()))
                    .execute();
            if (updated != 1) {
                throw new IllegalStateException("run " + runId + " is not a run of " + outcome.cluster() + " "
                        + outcome.day());
            }
            return stored;
        });
    }

    /**
     * Retention: deletes container-hour detail of days before {@code firstKeptDay}; the daily tables are
     * kept. Returns the number of rows deleted.
     */
    public int deleteDetailBefore(LocalDate firstKeptDay) {
        requireNonNull(firstKeptDay, "firstKeptDay is null");
        return dsl.deleteFrom(CONTAINER_COST_HOURLY).where(CONTAINER_COST_HOURLY.DAY.lt(firstKeptDay)).execute();
    }

    private static long load(DSLContext tx, long runId, DayRows rows) {
        if (rows.table().laterDayWins()) {
            return upsertLaterDayWins(tx, runId, rows);
        }
        return copy(tx, runId, rows);
    }

    /**
     * PostgreSQL's {@code COPY … FROM STDIN} in CSV, on the transaction's connection: a day's container-hours
     * are hundreds of thousands of rows, and multi-row INSERTs (parsed, planned and bound per statement) loaded
     * them at ~25,000 rows/s. Columns the table does not have are skipped. A row PostgreSQL rejects aborts the
     * load (and the transaction) with its line and column.
     */
    private static long copy(DSLContext tx, long runId, DayRows rows) {
        Table<?> target = rows.table().table();
        List<String> columns = new ArrayList<>(List.of(tx.render(DSL.name("run_id"))));
        int[] positions = IntStream.range(0, rows.columns().size())
                .filter(i -> target.field(rows.columns().get(i)) != null).toArray();
        for (int position : positions) {
            columns.add(tx.render(DSL.name(rows.columns().get(position))));
        }
        String sql = "COPY " + tx.render(target) + " (" + String.join(", ", columns) + ") FROM STDIN (FORMAT csv)";
        return tx.connectionResult(connection -> {
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            try (CSVPrinter csv = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(
                    new PGCopyOutputStream(copy, 1 << 16), StandardCharsets.UTF_8), 1 << 16), COPY_CSV)) {
                Object[] record = new Object[columns.size()];
                record[0] = runId;
                while (rows.rows().hasNext()) {
                    Object[] values = rows.rows().next();
                    for (int i = 0; i < positions.length; i++) {
                        record[i + 1] = copyValue(values[positions[i]], target, rows.columns().get(positions[i]));
                    }
                    csv.printRecord(record);
                }
            } catch (IOException e) {
                // The copy stream wraps PostgreSQL's error (which names the line and column) in its own.
                Throwable cause = e;
                while (cause.getCause() != null && !(cause instanceof SQLException)) {
                    cause = cause.getCause();
                }
                throw new DataAccessException("cannot load " + target.getName() + ": " + cause.getMessage(), e);
            }
            // Closing the stream ended the COPY; PostgreSQL's own count of the rows it stored.
            return copy.getHandledRowCount();
        });
    }

    /**
     * A value as COPY's CSV reads it: PostgreSQL parses numbers, booleans and ISO dates and times in their
     * Java text form. Null is an unquoted empty field, and every other value is quoted, so an empty string
     * stays an empty string ({@link CSVFormat#POSTGRESQL_CSV}).
     */
    private static Object copyValue(Object value, Table<?> table, String column) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof LocalDate || value instanceof OffsetDateTime) {
            return value instanceof BigDecimal decimal ? decimal.toPlainString() : value;
        }
        throw new IllegalArgumentException("cannot store a " + value.getClass().getName() + " in "
                + table.getName() + "." + column);
    }

    /**
     * {@code INSERT … ON CONFLICT (primary key) DO UPDATE … WHERE stored.day < excluded.day}, batched. Used for
     * the few rows (idle episodes) whose key spans days; everything else is bulk-loaded.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static long upsertLaterDayWins(DSLContext tx, long runId, DayRows rows) {
        Table target = rows.table().table();
        List<Field<?>> fields = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        fields.add(field(target, "run_id"));
        for (int i = 0; i < rows.columns().size(); i++) {
            Field<?> field = target.field(rows.columns().get(i));
            if (field != null) {
                fields.add(field);
                positions.add(i);
            }
        }
        Field<LocalDate> day = field(target, "day");
        List<org.jooq.Query> queries = new ArrayList<>();
        long written = 0;
        while (rows.rows().hasNext()) {
            Object[] values = rows.rows().next();
            List<Object> row = new ArrayList<>();
            row.add(runId);
            for (int i = 0; i < positions.size(); i++) {
                row.add(fields.get(i + 1).getDataType().convert(values[positions.get(i)]));
            }
            Map<Field<?>, Field<?>> updates = new LinkedHashMap<>();
            for (Field<?> field : fields) {
                updates.put(field, excluded(field));
            }
            queries.add(tx.insertInto(target).columns(fields).values(row)
                    .onConflict(target.getPrimaryKey().getFields()).doUpdate().set(updates)
                    .where(day.lt((Field<LocalDate>) excluded(day))));
            written++;
            if (queries.size() == BULK_ROWS) {
                tx.batch(queries).execute();
                queries.clear();
            }
        }
        if (!queries.isEmpty()) {
            tx.batch(queries).execute();
        }
        return written;
    }

    /**
     * PostgreSQL's {@code EXCLUDED.column}, as a template: jOOQ's {@code DSL.excluded} (and any qualified name)
     * gets the schema of the render mapping ({@code "costlake"."excluded"}), which PostgreSQL rejects.
     */
    private static <T> Field<T> excluded(Field<T> field) {
        return DSL.field("excluded.{0}", field.getDataType(), DSL.name(field.getName()));
    }

    @SuppressWarnings("unchecked")
    private static <T> Field<T> field(Table<?> table, String name) {
        Field<?> field = table.field(name);
        if (field == null) {
            throw new IllegalStateException(table.getName() + " has no column " + name);
        }
        return (Field<T>) field;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
