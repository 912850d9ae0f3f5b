package io.costlake.db.store;

import static io.costlake.db.generated.Tables.CONTAINER_COST_HOURLY;
import static io.costlake.db.generated.Tables.COST_RUN;
import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Loader;
import org.jooq.LoaderError;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import io.costlake.db.schema.CostSchema;

/**
 * Writes runs and their results. A (cluster, day) is replaced in one transaction: the previous rows are
 * deleted and the new ones bulk-loaded, so readers see either the old day or the new one, and a failure
 * leaves the old day intact.
 */
public final class CostStore {
    private static final int BULK_ROWS = 500;
    private static final int BATCH_STATEMENTS = 10;

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
        Table<?> target = rows.table().table();
        List<Field<?>> fields = new ArrayList<>();
        fields.add(field(target, "run_id"));
        for (String column : rows.columns()) {
            // Columns the table does not have are skipped (a null field tells the loader to ignore it).
            fields.add(target.field(column));
        }
        Iterator<Object[]> source = rows.rows();
        long[] passed = {0};
        Iterator<Object[]> withRunId = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public Object[] next() {
                Object[] values = source.next();
                passed[0]++;
                Object[] row = new Object[values.length + 1];
                row[0] = runId;
                System.arraycopy(values, 0, row, 1, values.length);
                return row;
            }
        };
        try {
            Loader<?> loader = tx.loadInto(target)
                    .bulkAfter(BULK_ROWS)
                    .batchAfter(BATCH_STATEMENTS)
                    .commitNone()
                    .onErrorAbort()
                    .loadArrays(withRunId)
                    .fields(fields)
                    .execute();
            if (!loader.errors().isEmpty()) {
                LoaderError error = loader.errors().get(0);
                throw new DataAccessException("cannot load " + target.getName() + " row " + error.rowIndex() + ": "
                        + error.exception().getMessage(), error.exception());
            }
            // The loader's own stored() counts bulk statements, not rows; every row passed was stored, since
            // any error aborts the load and throws above.
            return passed[0];
        } catch (java.io.IOException e) {
            throw new DataAccessException("cannot load " + target.getName(), e);
        }
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
