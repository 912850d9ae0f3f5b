package io.costlake.reports.pdf;

import static io.costlake.db.generated.Tables.COST_RUN;
import static io.costlake.db.generated.Tables.IDLE_GPU_EPISODE;
import static io.costlake.db.generated.Tables.NAMESPACE_COST_DAILY;
import static io.costlake.db.generated.Tables.NODE_COST_DAILY;
import static io.costlake.db.generated.Tables.WORKLOAD_COST_DAILY;
import static java.util.Objects.requireNonNull;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.countDistinct;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.when;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Select;

import io.costlake.db.schema.CostSchema;
import io.costlake.reports.ReportPeriod;

/**
 * Reads what the PDF shows for a period from the cost tables. Sums are done by PostgreSQL in numeric, so
 * the PDF's dollars are the CSV's dollars; only ranking and top-N happen here.
 */
final class ReportContentQuery {
    static final String IDLE = "__idle__";
    static final String UNMOUNTED = "__unmounted__";

    static final int TOP_WORKLOADS = 15;
    static final int IDLE_GPU_ROWS = 15;
    static final int LEAST_EFFICIENT = 10;
    /**
     * Least efficient workloads are picked among the most expensive ones: a $0.02 job at 1% efficiency is
     * not worth a team lead's attention, a $900 deployment at 20% is.
     */
    static final int EFFICIENCY_CANDIDATES = 50;

    private final DSLContext dsl;

    ReportContentQuery(CostSchema schema) {
        this.dsl = requireNonNull(schema, "schema is null").dsl();
    }

    ReportContent read(ReportPeriod period) {
        requireNonNull(period, "period is null");
        List<IdleGpuFinding> episodes = idleEpisodes(period);
        BigDecimal gpuIdleWaste = BigDecimal.ZERO;
        double idleGpuHours = 0;
        for (IdleGpuFinding episode : episodes) {
            gpuIdleWaste = gpuIdleWaste.add(wasteWithin(episode, period));
            idleGpuHours += hoursWithin(episode, period);
        }
        List<IdleGpuFinding> topEpisodes = episodes.stream()
                .sorted(Comparator.comparing(IdleGpuFinding::wastedCost).reversed()
                        .thenComparing(IdleGpuFinding::startAt))
                .limit(IDLE_GPU_ROWS)
                .toList();
        return new ReportContent(period, keyFigures(period, gpuIdleWaste, episodes.size(), idleGpuHours), namespaces(period), costPools(period),
                daily(period), topWorkloads(period), leastEfficient(period), gpuNodes(period, episodes), topEpisodes,
                audit(period));
    }

    /**
     * The part of an episode's waste that falls inside the period: an episode crossing the period's edge
     * counts pro rata by hours, so a month's report does not bill last month's idle hours.
     */
    static BigDecimal wasteWithin(IdleGpuFinding episode, ReportPeriod period) {
        OffsetDateTime from = start(period);
        OffsetDateTime to = endExclusive(period);
        OffsetDateTime start = episode.startAt().isBefore(from) ? from : episode.startAt();
        OffsetDateTime end = episode.endAt().isAfter(to) ? to : episode.endAt();
        long inside = Math.max(0, Duration.between(start, end).toSeconds());
        long whole = Duration.between(episode.startAt(), episode.endAt()).toSeconds();
        if (inside == whole) {
            return episode.wastedCost();
        }
        return episode.wastedCost().multiply(BigDecimal.valueOf(inside))
                .divide(BigDecimal.valueOf(whole), 6, RoundingMode.HALF_EVEN);
    }

    /** Hours of an episode inside the period. */
    static double hoursWithin(IdleGpuFinding episode, ReportPeriod period) {
        OffsetDateTime from = start(period);
        OffsetDateTime to = endExclusive(period);
        OffsetDateTime start = episode.startAt().isBefore(from) ? from : episode.startAt();
        OffsetDateTime end = episode.endAt().isAfter(to) ? to : episode.endAt();
        return Math.max(0, Duration.between(start, end).toSeconds()) / 3600.0;
    }

    private KeyFigures keyFigures(ReportPeriod period, BigDecimal gpuIdleWaste, int idleEpisodes,
            double idleGpuHours) {
        var n = NAMESPACE_COST_DAILY;
        // Idle is the __idle__ namespace when idle stays unallocated (the default) and the idle_cost column
        // of real namespaces under shareIdle; counting both never double-counts since each run does one.
        Field<BigDecimal> idle = when(n.NAMESPACE.eq(IDLE), n.TOTAL_COST).otherwise(n.IDLE_COST);
        Field<BigDecimal> unmounted = when(n.NAMESPACE.eq(UNMOUNTED), n.TOTAL_COST).otherwise(BigDecimal.ZERO);
        Field<String> realNamespace = when(n.NAMESPACE.notIn(IDLE, UNMOUNTED), n.NAMESPACE);
        Record totals = dsl.select(
                        coalesce(sum(n.TOTAL_COST), BigDecimal.ZERO),
                        coalesce(sum(idle), BigDecimal.ZERO),
                        coalesce(sum(unmounted), BigDecimal.ZERO),
                        coalesce(sum(n.CPU_COST), BigDecimal.ZERO),
                        coalesce(sum(n.RAM_COST), BigDecimal.ZERO),
                        coalesce(sum(n.GPU_COST), BigDecimal.ZERO),
                        coalesce(sum(n.STORAGE_COST), BigDecimal.ZERO),
                        countDistinct(n.DAY),
                        countDistinct(n.CLUSTER),
                        countDistinct(realNamespace))
                .from(n)
                .where(namespaceScope(period))
                .fetchOne();
        var w = WORKLOAD_COST_DAILY;
        int workloads = dsl.fetchCount(dsl.selectDistinct(w.CLUSTER, w.NAMESPACE, w.WORKLOAD_KIND, w.WORKLOAD_NAME)
                .from(w).where(workloadScope(period)));
        int nodes = dsl.fetchCount(dsl.selectDistinct(NODE_COST_DAILY.CLUSTER, NODE_COST_DAILY.NODE)
                .from(NODE_COST_DAILY).where(nodeScope(period)));
        long periodDays = ChronoUnit.DAYS.between(period.from(), period.to()) + 1;
        return new KeyFigures(totals.get(0, BigDecimal.class), totals.get(1, BigDecimal.class),
                totals.get(2, BigDecimal.class), totals.get(3, BigDecimal.class), totals.get(4, BigDecimal.class),
                totals.get(5, BigDecimal.class), totals.get(6, BigDecimal.class), gpuIdleWaste, idleEpisodes,
                idleGpuHours, periodDays,
                totals.get(7, Integer.class), totals.get(8, Integer.class), totals.get(9, Integer.class), workloads,
                nodes);
    }

    private List<NamedCost> namespaces(ReportPeriod period) {
        var n = NAMESPACE_COST_DAILY;
        return dsl.select(n.NAMESPACE, sum(n.TOTAL_COST))
                .from(n)
                .where(namespaceScope(period))
                .groupBy(n.NAMESPACE)
                .orderBy(sum(n.TOTAL_COST).desc(), n.NAMESPACE)
                .fetch(r -> new NamedCost(r.value1(), r.value2()));
    }

    /**
     * Pools summed from the namespace rows rather than read from cost_pool_daily (which holds the same
     * sums): the pool shares then add up to exactly the total the title page shows.
     */
    private List<NamedCost> costPools(ReportPeriod period) {
        var n = NAMESPACE_COST_DAILY;
        return dsl.select(n.COST_POOL, sum(n.TOTAL_COST))
                .from(n)
                .where(namespaceScope(period))
                .groupBy(n.COST_POOL)
                .orderBy(sum(n.TOTAL_COST).desc(), n.COST_POOL)
                .fetch(r -> new NamedCost(r.value1(), r.value2()));
    }

    private List<DailyCost> daily(ReportPeriod period) {
        var n = NAMESPACE_COST_DAILY;
        Field<BigDecimal> idle = when(n.NAMESPACE.eq(IDLE), n.TOTAL_COST).otherwise(n.IDLE_COST);
        return dsl.select(n.DAY, sum(n.TOTAL_COST), sum(idle))
                .from(n)
                .where(namespaceScope(period))
                .groupBy(n.DAY)
                .orderBy(n.DAY)
                .fetch(r -> new DailyCost(r.value1(), r.value2(), r.value3()));
    }

    private List<WorkloadCost> topWorkloads(ReportPeriod period) {
        return workloads(period, TOP_WORKLOADS);
    }

    private List<WorkloadCost> leastEfficient(ReportPeriod period) {
        List<WorkloadCost> candidates = new ArrayList<>(workloads(period, EFFICIENCY_CANDIDATES));
        candidates.removeIf(w -> w.cpuEfficiency().isEmpty());
        candidates.sort(Comparator.comparingDouble((WorkloadCost w) -> w.cpuEfficiency().getAsDouble())
                .thenComparing(WorkloadCost::totalCost, Comparator.reverseOrder()));
        return candidates.subList(0, Math.min(LEAST_EFFICIENT, candidates.size()));
    }

    private List<WorkloadCost> workloads(ReportPeriod period, int limit) {
        var w = WORKLOAD_COST_DAILY;
        return dsl.select(w.CLUSTER, w.NAMESPACE, w.WORKLOAD_KIND, w.WORKLOAD_NAME, sum(w.TOTAL_COST),
                        sum(w.CPU_COST), sum(w.CPU_REQUEST_CORE_HOURS), sum(w.CPU_USAGE_CORE_HOURS),
                        sum(w.CPU_BILLABLE_CORE_HOURS), sum(w.RAM_USAGE_GIB_HOURS), sum(w.RAM_BILLABLE_GIB_HOURS),
                        sum(w.GPU_HOURS))
                .from(w)
                .where(workloadScope(period))
                .groupBy(w.CLUSTER, w.NAMESPACE, w.WORKLOAD_KIND, w.WORKLOAD_NAME)
                .orderBy(sum(w.TOTAL_COST).desc(), w.CLUSTER, w.NAMESPACE, w.WORKLOAD_KIND, w.WORKLOAD_NAME)
                .limit(limit)
                .fetch(r -> new WorkloadCost(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                        r.value7().doubleValue(), r.value8().doubleValue(), r.value9().doubleValue(),
                        r.value10().doubleValue(), r.value11().doubleValue(), r.value12().doubleValue()));
    }

    private List<GpuNodeCost> gpuNodes(ReportPeriod period, List<IdleGpuFinding> episodes) {
        var node = NODE_COST_DAILY;
        Map<String, BigDecimal> heldIdle = new HashMap<>();
        for (IdleGpuFinding episode : episodes) {
            heldIdle.merge(episode.cluster() + "\u0000" + episode.node(), wasteWithin(episode, period), BigDecimal::add);
        }
        return dsl.select(node.CLUSTER, node.NODE, max(node.GPU_MODEL), sum(node.GPUS.mul(node.HOURS)),
                        sum(node.GPU_COST), sum(node.GPU_IDLE_COST))
                .from(node)
                .where(nodeScope(period))
                .and(node.GPUS.gt(0.0))
                .groupBy(node.CLUSTER, node.NODE)
                .orderBy(sum(node.GPU_COST).desc(), node.CLUSTER, node.NODE)
                .fetch(r -> new GpuNodeCost(r.value1(), r.value2(), Optional.ofNullable(r.value3()),
                        r.value4().doubleValue(), r.value5(), r.value6(),
                        heldIdle.getOrDefault(r.value1() + "\u0000" + r.value2(), BigDecimal.ZERO)));
    }

    /** Episodes overlapping the period, in the cluster and (through their namespace) the cost pool. */
    private List<IdleGpuFinding> idleEpisodes(ReportPeriod period) {
        var e = IDLE_GPU_EPISODE;
        return dsl.selectFrom(e)
                .where(e.START_AT.lt(endExclusive(period)))
                .and(e.END_AT.gt(start(period)))
                .and(period.cluster().map(e.CLUSTER::eq).orElse(noCondition()))
                .and(poolNamespaces(period, e.NAMESPACE))
                .orderBy(e.WASTED_COST.desc(), e.START_AT, e.CLUSTER, e.GPU_UUID, e.MIG_INSTANCE, e.POD)
                .fetch(r -> new IdleGpuFinding(r.getCluster(), r.getNode(), r.getGpuUuid(),
                        Optional.ofNullable(r.getGpuModel()), Optional.ofNullable(r.getMigProfile()),
                        r.getNamespace(), r.getPod(), r.getStartAt(), r.getEndAt(), r.getHours(), r.getMeanUtil(),
                        r.getWastedCost(), r.getRecommendation()));
    }

    /** The latest run of each (cluster, day): a re-run replaces the day, so earlier runs are history. */
    private List<RunAudit> audit(ReportPeriod period) {
        var run = COST_RUN;
        return dsl.select(run.CLUSTER, run.DAY, run.STATUS, run.NODE_COST, run.VOLUME_COST, run.NAMESPACE_COST,
                        run.CONSERVATION_DELTA, run.CONSERVATION_RELATIVE_DELTA)
                .distinctOn(run.CLUSTER, run.DAY)
                .from(run)
                .where(run.DAY.between(period.from(), period.to()))
                .and(period.cluster().map(run.CLUSTER::eq).orElse(noCondition()))
                .orderBy(run.CLUSTER, run.DAY, run.RUN_ID.desc())
                .fetch(r -> new RunAudit(r.value1(), r.value2(), r.value3(), Optional.ofNullable(r.value4()),
                        Optional.ofNullable(r.value5()), Optional.ofNullable(r.value6()), optional(r.value7()),
                        optional(r.value8())))
                .stream()
                .sorted(Comparator.comparing(RunAudit::day).thenComparing(RunAudit::cluster))
                .toList();
    }

    private static Condition namespaceScope(ReportPeriod period) {
        var n = NAMESPACE_COST_DAILY;
        return n.DAY.between(period.from(), period.to())
                .and(period.cluster().map(n.CLUSTER::eq).orElse(noCondition()))
                .and(period.costPool().map(n.COST_POOL::eq).orElse(noCondition()));
    }

    private static Condition workloadScope(ReportPeriod period) {
        var w = WORKLOAD_COST_DAILY;
        return w.DAY.between(period.from(), period.to())
                .and(period.cluster().map(w.CLUSTER::eq).orElse(noCondition()))
                .and(period.costPool().map(w.COST_POOL::eq).orElse(noCondition()));
    }

    /** Nodes are shared by every pool, so a pool's report still shows its clusters' nodes. */
    private static Condition nodeScope(ReportPeriod period) {
        var node = NODE_COST_DAILY;
        return node.DAY.between(period.from(), period.to())
                .and(period.cluster().map(node.CLUSTER::eq).orElse(noCondition()));
    }

    private Condition poolNamespaces(ReportPeriod period, Field<String> namespace) {
        if (period.costPool().isEmpty()) {
            return noCondition();
        }
        var n = NAMESPACE_COST_DAILY;
        Select<Record1<String>> inPool = dsl.selectDistinct(n.NAMESPACE).from(n).where(namespaceScope(period));
        return namespace.in(inPool);
    }

    static OffsetDateTime start(ReportPeriod period) {
        return period.from().atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    static OffsetDateTime endExclusive(ReportPeriod period) {
        return period.to().plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static OptionalDouble optional(Double value) {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
