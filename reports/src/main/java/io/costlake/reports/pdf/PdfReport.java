package io.costlake.reports.pdf;

import static io.costlake.reports.pdf.FigureFormat.count;
import static io.costlake.reports.pdf.FigureFormat.hours;
import static io.costlake.reports.pdf.FigureFormat.money;
import static io.costlake.reports.pdf.FigureFormat.percent;
import static io.costlake.reports.pdf.FigureFormat.scientific;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TimeZone;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;

import io.costlake.db.schema.CostSchema;
import io.costlake.reports.ReportPeriod;
import io.costlake.reports.pdf.PageFlow.FigureCard;
import io.costlake.reports.pdf.TextTable.Column;
import io.costlake.reports.pdf.TextTable.Emphasis;
import io.costlake.reports.pdf.TextTable.Row;

/**
 * The PDF report of a period for team leads (DESIGN §7): title page with the key figures, charts of the
 * top namespaces, cost pools, daily trend and GPU use, tables of idle GPUs, top and least efficient
 * workloads, and the conservation audit. Everything is read from PostgreSQL; a period without data
 * still gives a one-page report that says so.
 */
public final class PdfReport {
    /** Names shown in charts and tables; the rest is summed into "other". */
    static final int TOP_NAMESPACES = 12;
    static final int TOP_POOLS = 8;
    static final int TOP_GPU_NODES = 10;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'", Locale.ROOT);

    private final ReportContentQuery query;
    private final Clock clock;

    public PdfReport(CostSchema schema) {
        this(schema, Clock.systemUTC());
    }

    /** With a fixed clock the "generated" stamp, and so the text of the PDF, is reproducible. */
    public PdfReport(CostSchema schema, Clock clock) {
        this.query = new ReportContentQuery(requireNonNull(schema, "schema is null"));
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Writes {@code costlake-report_<period label>.pdf} on A4 into {@code outDir} and returns it. */
    public Path write(ReportPeriod period, Path outDir) {
        return write(period, outDir, PageSize.A4);
    }

    /** Writes {@code costlake-report_<period label>.pdf} into {@code outDir} and returns it. */
    public Path write(ReportPeriod period, Path outDir, PageSize pageSize) {
        requireNonNull(period, "period is null");
        requireNonNull(outDir, "outDir is null");
        requireNonNull(pageSize, "pageSize is null");
        ReportContent content = query.read(period);
        Path file = outDir.resolve("costlake-report_" + period.label() + ".pdf");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // Written beside the target and moved into place: a reader never sees half a PDF.
            Path partial = Files.createTempFile(file.toAbsolutePath().getParent(), ".costlake-report", ".pdf.part");
            try {
                try (PDDocument document = new PDDocument()) {
                    render(document, content, pageSize);
                    document.save(partial.toFile());
                }
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void render(PDDocument document, ReportContent content, PageSize pageSize) {
        ReportPeriod period = content.period();
        information(document, period);
        ReportFonts fonts = new ReportFonts(document);
        PageFlow flow = new PageFlow(document, pageSize.rectangle(), fonts,
                "costlake · Kubernetes cost report · " + periodText(period) + " · " + scopeText(period));
        titleBlock(flow, period);
        if (content.figures().hasCosts()) {
            keyFigures(flow, content);
            costByResource(flow, content.figures());
            dailyTrend(flow, content);
            topNamespaces(flow, content);
            costPools(flow, content);
            gpuUse(flow, content);
            idleGpus(flow, content);
            topWorkloads(flow, content);
            leastEfficient(flow, content);
        } else {
            noData(flow, content);
        }
        audit(flow, content);
        flow.finish();
    }

    private void titleBlock(PageFlow flow, ReportPeriod period) {
        flow.newPage();
        flow.text("costlake", 11, PageFlow.ACCENT, true);
        flow.gap(4);
        flow.text("Kubernetes cost report", 26, PageFlow.INK, true);
        flow.gap(6);
        long days = period.to().toEpochDay() - period.from().toEpochDay() + 1;
        flow.text(periodText(period) + "  (" + count(days) + (days == 1 ? " day)" : " days)"), 13, PageFlow.INK,
                false);
        flow.text(scopeText(period) + " · generated " + STAMP.format(clock.instant().atOffset(ZoneOffset.UTC)), 9.5f,
                PageFlow.MUTED, false);
        flow.gap(16);
    }

    private void keyFigures(PageFlow flow, ReportContent content) {
        KeyFigures figures = content.figures();
        long failed = content.audit().stream().filter(a -> !a.balanced()).count();
        double worst = content.audit().stream()
                .filter(a -> a.relativeDelta().isPresent())
                .mapToDouble(a -> Math.abs(a.relativeDelta().getAsDouble()))
                .max().orElse(0);
        List<FigureCard> cards = List.of(
                new FigureCard("Total cost", money(figures.totalCost()),
                        count(figures.namespaces()) + " namespaces · " + count(figures.clusters())
                                + (figures.clusters() == 1 ? " cluster" : " clusters"),
                        false),
                new FigureCard("Allocated", percent(figures.allocatedShare()),
                        money(figures.allocatedCost()) + " used by namespaces", false),
                new FigureCard("Idle", percent(figures.idleShare()),
                        money(figures.idleCost()) + " unallocated capacity", false),
                new FigureCard("GPU idle waste", money(figures.gpuIdleWaste()),
                        figures.idleEpisodes() == 0 ? "no idle GPU episodes"
                                : count(figures.idleEpisodes()) + (figures.idleEpisodes() == 1 ? " episode · "
                                        : " episodes · ") + hours(figures.idleGpuHours()) + " idle GPU-hours",
                        figures.gpuIdleWaste().signum() > 0),
                new FigureCard("Reclaimable per month", money(figures.reclaimablePerMonth()),
                        "idle-GPU waste scaled to 30 days", figures.gpuIdleWaste().signum() > 0),
                new FigureCard("Conservation audit", failed == 0 ? "balanced" : count(failed) + " failing",
                        count(content.audit().size()) + " cluster-days · max |Δ| " + scientific(worst),
                        failed > 0));
        flow.cards(cards, 3);
        flow.text(count(figures.daysWithData()) + " of " + count(figures.periodDays())
                + " days have cost data · " + count(figures.workloads()) + " workloads · "
                + count(figures.nodes()) + " nodes. Idle is node capacity no pod requested (namespace __idle__);"
                + " GPU idle waste is the cost of GPUs a pod held for 2+ hours while using under 5% of them.",
                8.5f, PageFlow.MUTED, false);
    }

    private void costByResource(PageFlow flow, KeyFigures figures) {
        flow.heading("Cost by resource", 90);
        List<Row> rows = new ArrayList<>();
        rows.add(resourceRow("CPU", figures.cpuCost(), figures));
        rows.add(resourceRow("Memory", figures.ramCost(), figures));
        rows.add(resourceRow("GPU", figures.gpuCost(), figures));
        rows.add(resourceRow("Storage", figures.storageCost(), figures));
        BigDecimal rest = figures.totalCost().subtract(figures.cpuCost()).subtract(figures.ramCost())
                .subtract(figures.gpuCost()).subtract(figures.storageCost());
        // Shared idle (shareIdle) and rounding land here; shown only when there is something to explain.
        if (rest.abs().compareTo(new BigDecimal("0.005")) >= 0) {
            rows.add(resourceRow("Shared idle and adjustments", rest, figures));
        }
        rows.add(new Row(List.of("Total", money(figures.totalCost()), percent(1)), Emphasis.TOTAL));
        flow.table(new TextTable(List.of(Column.text("Resource", 3), Column.number("Cost", 2),
                Column.number("Share", 1.2f)), rows));
    }

    private static Row resourceRow(String resource, BigDecimal cost, KeyFigures figures) {
        double share = figures.totalCost().signum() == 0 ? 0 : cost.doubleValue() / figures.totalCost().doubleValue();
        return Row.of(resource, money(cost), percent(share));
    }

    private void dailyTrend(PageFlow flow, ReportContent content) {
        float height = 190;
        flow.heading("Daily cost trend", height);
        ReportPeriod period = content.period();
        flow.image(CostCharts.dailyTrend(content.daily(), period.from(), period.to(), flow.width(), height), height);
    }

    private void topNamespaces(PageFlow flow, ReportContent content) {
        List<NamedCost> top = new RankedCosts(TOP_NAMESPACES, "namespaces").top(content.namespaces());
        float height = Math.max(110, 34 + 19 * top.size());
        flow.heading("Top namespaces", height);
        flow.image(CostCharts.topNamespaces(top, flow.width(), height), height);
        BigDecimal total = content.figures().totalCost();
        List<Row> rows = new ArrayList<>();
        int rank = 1;
        for (NamedCost namespace : top) {
            String share = total.signum() == 0 ? "–" : percent(namespace.cost().doubleValue() / total.doubleValue());
            rows.add(new Row(List.of(namespace.isOther() ? "" : String.valueOf(rank++), namespace.name(),
                    money(namespace.cost()), share), namespace.isOther() || namespace.name().startsWith("__")
                            ? Emphasis.MUTED : Emphasis.PLAIN));
        }
        flow.table(new TextTable(List.of(Column.number("#", 0.5f), Column.text("Namespace", 6),
                Column.number("Cost", 2), Column.number("Share", 1.2f)), rows));
    }

    private void costPools(PageFlow flow, ReportContent content) {
        List<NamedCost> pools = new RankedCosts(TOP_POOLS, "pools").top(content.costPools());
        float height = 220;
        flow.heading("Cost pools", height);
        if (pools.stream().noneMatch(p -> p.cost().signum() > 0)) {
            flow.text("No cost pool has a positive cost in this period.", PageFlow.BODY, PageFlow.MUTED, false);
            return;
        }
        flow.image(CostCharts.costPools(pools, flow.width(), height), height);
        BigDecimal total = pools.stream().map(NamedCost::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
        List<Row> rows = new ArrayList<>();
        for (NamedCost pool : pools) {
            String share = total.signum() == 0 ? "–" : percent(pool.cost().doubleValue() / total.doubleValue());
            rows.add(new Row(List.of(pool.name(), money(pool.cost()), share),
                    pool.isOther() ? Emphasis.MUTED : Emphasis.PLAIN));
        }
        flow.table(new TextTable(List.of(Column.text("Cost pool", 6), Column.number("Cost", 2),
                Column.number("Share", 1.2f)), rows));
    }

    private void gpuUse(PageFlow flow, ReportContent content) {
        List<GpuNodeCost> nodes = topGpuNodes(content.gpuNodes());
        if (nodes.isEmpty()) {
            flow.heading("GPU utilisation vs cost", 20);
            flow.text("No GPU nodes in this period.", PageFlow.BODY, PageFlow.MUTED, false);
            return;
        }
        float height = Math.max(120, 60 + 36 * nodes.size());
        flow.heading("GPU utilisation vs cost", height + 30);
        flow.text("GPU cost per node by how the GPUs were used: held by a pod and used, held but idle"
                + " (below 5% utilisation for 2+ hours), or held by no pod at all.", 8.5f, PageFlow.MUTED, false);
        Set<String> clusters = new HashSet<>();
        nodes.forEach(n -> clusters.add(n.cluster()));
        List<String> labels = new ArrayList<>();
        for (GpuNodeCost node : nodes) {
            // Node first (what people look up), then what tells nodes apart: cluster, GPU model sans vendor.
            List<String> details = new ArrayList<>();
            if (clusters.size() > 1 && !node.cluster().isEmpty()) {
                details.add(node.cluster());
            }
            node.gpuModel().ifPresent(model -> details.add(model.replaceFirst("^NVIDIA ", "")));
            labels.add(details.isEmpty() ? node.node() : node.node() + "\n" + String.join(" · ", details));
        }
        flow.image(CostCharts.gpuUse(nodes, labels, flow.width(), height), height);
    }

    /** The GPU nodes with the highest GPU cost; the rest as one "other" bar. */
    private static List<GpuNodeCost> topGpuNodes(List<GpuNodeCost> nodes) {
        if (nodes.size() <= TOP_GPU_NODES + 1) {
            return nodes;
        }
        List<GpuNodeCost> top = new ArrayList<>(nodes.subList(0, TOP_GPU_NODES));
        double hours = 0;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal unallocated = BigDecimal.ZERO;
        BigDecimal heldIdle = BigDecimal.ZERO;
        for (GpuNodeCost node : nodes.subList(TOP_GPU_NODES, nodes.size())) {
            hours += node.gpuHours();
            cost = cost.add(node.gpuCost());
            unallocated = unallocated.add(node.unallocatedCost());
            heldIdle = heldIdle.add(node.heldIdleCost());
        }
        top.add(new GpuNodeCost("", "other (" + count(nodes.size() - TOP_GPU_NODES) + " nodes)",
                java.util.Optional.empty(), hours, cost, unallocated, heldIdle));
        return top;
    }

    private void idleGpus(PageFlow flow, ReportContent content) {
        flow.heading("Idle GPUs", 75);
        if (content.idleGpus().isEmpty()) {
            flow.text("No idle GPU episodes: no pod held a GPU for 2 hours or more while leaving it idle.",
                    PageFlow.BODY, PageFlow.MUTED, false);
            return;
        }
        List<Row> rows = new ArrayList<>();
        for (IdleGpuFinding gpu : content.idleGpus()) {
            // "NVIDIA " is on every model name and would push the part that tells GPUs apart out of the cell.
            String model = gpu.gpuModel().map(m -> m.replaceFirst("^NVIDIA ", "")).orElse("GPU")
                    + gpu.migProfile().map(p -> " MIG " + p).orElse("");
            OffsetDateTime start = gpu.startAt().withOffsetSameInstant(ZoneOffset.UTC);
            OffsetDateTime end = gpu.endAt().withOffsetSameInstant(ZoneOffset.UTC);
            String until = start.toLocalDate().equals(end.toLocalDate()) ? CLOCK_TIME.format(end) : HOUR.format(end);
            rows.add(Row.of(gpu.node() + "\n" + model, gpu.namespace() + "\n" + gpu.pod(),
                    HOUR.format(start) + "\nto " + until,
                    count(gpu.hours()), percent(gpu.meanUtil() / 100), money(gpu.wastedCost()), gpu.recommendation()));
        }
        flow.table(new TextTable(List.of(Column.wrapped("Node / GPU", 2.5f, 2),
                Column.wrapped("Namespace / pod", 2.4f, 2), Column.wrapped("Idle (UTC)", 2.3f, 2),
                Column.number("Hours", 1.15f), Column.number("Mean util", 1.15f), Column.number("Wasted", 1.4f),
                Column.wrapped("Recommendation", 3.8f, 5)), rows));
        if (content.idleGpus().size() == ReportContentQuery.IDLE_GPU_ROWS) {
            flow.text("The " + ReportContentQuery.IDLE_GPU_ROWS + " costliest episodes; all of them are in"
                    + " idle-gpu-findings_" + content.period().label() + ".csv.", 8, PageFlow.MUTED, false);
        }
    }

    private void topWorkloads(PageFlow flow, ReportContent content) {
        flow.heading("Top workloads", 60);
        if (content.topWorkloads().isEmpty()) {
            flow.text("No workload costs in this period.", PageFlow.BODY, PageFlow.MUTED, false);
            return;
        }
        BigDecimal total = content.figures().totalCost();
        List<Row> rows = new ArrayList<>();
        int rank = 1;
        for (WorkloadCost workload : content.topWorkloads()) {
            String share = total.signum() == 0 ? "–" : percent(workload.totalCost().doubleValue() / total.doubleValue());
            rows.add(Row.of(String.valueOf(rank++), workload.namespace(), workloadName(workload),
                    money(workload.totalCost()), share, percent(workload.cpuEfficiency()),
                    percent(workload.ramEfficiency()), hours(workload.gpuHours())));
        }
        flow.table(new TextTable(List.of(Column.number("#", 0.5f), Column.wrapped("Namespace", 2.3f, 2),
                Column.wrapped("Workload", 3.2f, 2), Column.number("Cost", 1.6f), Column.number("Share", 1.1f),
                Column.number("CPU efficiency", 1.5f), Column.number("RAM efficiency", 1.5f),
                Column.number("GPU hours", 1.1f)), rows));
    }

    /** "payments-server (StatefulSet)": the name first, since that is what people search for. */
    private static String workloadName(WorkloadCost workload) {
        return workload.name() + " (" + workload.kind() + ")";
    }

    private void leastEfficient(PageFlow flow, ReportContent content) {
        flow.heading("Least efficient workloads (CPU)", 90);
        if (content.leastEfficientWorkloads().isEmpty()) {
            flow.text("No workload requested CPU in this period.", PageFlow.BODY, PageFlow.MUTED, false);
            return;
        }
        flow.text("Among the " + ReportContentQuery.EFFICIENCY_CANDIDATES + " most expensive workloads, those using"
                + " the smallest share of the CPU they pay for (usage / max(request, usage)). Unused CPU cost is"
                + " CPU cost × (1 − efficiency): what right-sizing requests would save.", 8.5f, PageFlow.MUTED, false);
        flow.gap(4);
        List<Row> rows = new ArrayList<>();
        for (WorkloadCost workload : content.leastEfficientWorkloads()) {
            rows.add(Row.of(workload.namespace(), workloadName(workload),
                    percent(workload.cpuEfficiency()), hours(workload.cpuRequestCoreHours()),
                    hours(workload.cpuUsageCoreHours()), money(workload.totalCost()),
                    money(workload.unusedCpuCost())));
        }
        flow.table(new TextTable(List.of(Column.wrapped("Namespace", 2, 2), Column.wrapped("Workload", 2.7f, 2),
                Column.number("CPU efficiency", 1.45f), Column.number("Requested core-hours", 1.55f),
                Column.number("Used core-hours", 1.55f), Column.number("Cost", 1.7f),
                Column.number("Unused CPU cost", 1.6f)), rows));
    }

    private void noData(PageFlow flow, ReportContent content) {
        ReportPeriod period = content.period();
        flow.cards(List.of(new FigureCard("Period status", "No cost data for this period",
                "nothing stored for " + periodText(period) + " · " + scopeText(period), false)), 1);
        flow.text("The cost tables hold no namespace costs for these days. Either no nightly run has covered"
                + " them yet (costlake run --date D), the runs failed (see the audit below, if any), or the"
                + " cluster or cost pool filter matches nothing.", PageFlow.BODY, PageFlow.MUTED, false);
    }

    private void audit(PageFlow flow, ReportContent content) {
        if (content.audit().isEmpty()) {
            if (content.figures().hasCosts()) {
                flow.heading("Conservation audit", 20);
                flow.text("No runs recorded for this period.", PageFlow.BODY, PageFlow.MUTED, false);
            }
            return;
        }
        flow.heading("Conservation audit", 90);
        flow.text("Per cluster-day, the latest run: namespace costs (including __idle__ and __unmounted__) must"
                + " equal node plus volume costs to a relative 1e-9.", 8.5f, PageFlow.MUTED, false);
        flow.gap(4);
        List<Row> rows = new ArrayList<>();
        for (RunAudit run : content.audit()) {
            rows.add(new Row(List.of(run.day().toString(), run.cluster(), run.status(),
                    run.nodeCost().map(FigureFormat::money).orElse("–"),
                    run.volumeCost().map(FigureFormat::money).orElse("–"),
                    run.namespaceCost().map(FigureFormat::money).orElse("–"),
                    run.delta().isPresent() ? scientific(run.delta().getAsDouble()) : "–",
                    run.relativeDelta().isPresent() ? scientific(run.relativeDelta().getAsDouble()) : "–",
                    run.balanced() ? "ok" : "FAIL"), run.balanced() ? Emphasis.PLAIN : Emphasis.ALERT));
        }
        flow.table(new TextTable(List.of(Column.text("Day", 1.65f), Column.text("Cluster", 1.85f),
                Column.text("Status", 1.5f), Column.number("Node cost", 1.6f), Column.number("Volume cost", 1.45f),
                Column.number("Namespace cost", 1.7f), Column.number("Δ", 0.9f), Column.number("Relative Δ", 1.3f),
                Column.text("Check", 1)), rows));
    }

    private void information(PDDocument document, ReportPeriod period) {
        PDDocumentInformation information = document.getDocumentInformation();
        information.setTitle("Kubernetes cost report " + periodText(period));
        information.setSubject(scopeText(period));
        information.setCreator("costlake");
        Calendar created = new GregorianCalendar(TimeZone.getTimeZone(ZoneOffset.UTC), Locale.ROOT);
        created.setTimeInMillis(clock.millis());
        information.setCreationDate(created);
    }

    static String periodText(ReportPeriod period) {
        return period.from().equals(period.to()) ? DAY.format(period.from())
                : DAY.format(period.from()) + " – " + DAY.format(period.to());
    }

    static String scopeText(ReportPeriod period) {
        String cluster = period.cluster().map(c -> "cluster " + c).orElse("all clusters");
        String pool = period.costPool().map(p -> "cost pool " + p).orElse("all cost pools");
        return cluster + " · " + pool;
    }
}
