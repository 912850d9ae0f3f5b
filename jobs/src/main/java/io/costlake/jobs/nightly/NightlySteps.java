package io.costlake.jobs.nightly;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.costlake.costmodel.CostAttribution;
import io.costlake.costmodel.CostModelConfig;
import io.costlake.costmodel.GoldTable;
import io.costlake.costmodel.audit.AttributionResult;
import io.costlake.costmodel.audit.ClusterDayAudit;
import io.costlake.costmodel.idlegpu.IdleGpuConfig;
import io.costlake.costmodel.idlegpu.IdleGpuDetector;
import io.costlake.costmodel.idlegpu.IdleGpuResult;
import io.costlake.costmodel.idlegpu.IdleGpuTable;
import io.costlake.db.store.CostStore;
import io.costlake.db.store.DayRows;
import io.costlake.db.store.ResultTable;
import io.costlake.db.store.RunOutcome;
import io.costlake.ingest.bronze.BronzeIngest;
import io.costlake.ingest.bronze.IngestSummary;
import io.costlake.ingest.bronze.QuarantineTable;
import io.costlake.ingest.files.MetricsFiles;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.openmetrics.MetricsInputException;
import io.costlake.ingest.pricing.PriceBook;
import io.costlake.ingest.prometheus.PrometheusConfig;
import io.costlake.ingest.prometheus.PrometheusSource;
import io.costlake.jobs.config.ConfigurationException;
import io.costlake.jobs.config.CostlakeProperties;
import io.costlake.reports.ReportPeriod;
import io.costlake.reports.csv.CsvReports;
import io.costlake.reports.pdf.PdfReport;

/** The four steps of the nightly job: ingest → attribute → persist → report. */
@Component
class NightlySteps {
    private static final Logger LOG = LoggerFactory.getLogger(NightlySteps.class);

    private final ObjectProvider<Lake> lake;
    private final PriceBook prices;
    private final CostModelConfig modelConfig;
    private final IdleGpuConfig idleGpuConfig;
    private final CostStore store;
    private final CsvReports csvReports;
    private final PdfReport pdfReport;
    private final CostlakeProperties properties;

    NightlySteps(ObjectProvider<Lake> lake, PriceBook prices, CostModelConfig modelConfig, IdleGpuConfig idleGpuConfig,
            CostStore store,
            CsvReports csvReports, PdfReport pdfReport, CostlakeProperties properties) {
        this.lake = lake;
        this.prices = prices;
        this.modelConfig = modelConfig;
        this.idleGpuConfig = idleGpuConfig;
        this.store = store;
        this.csvReports = csvReports;
        this.pdfReport = pdfReport;
        this.properties = properties;
    }

    RepeatStatus ingest(StepContribution contribution, ChunkContext chunk) {
        RunContext run = RunContext.of(chunk);
        long started = System.nanoTime();
        Lake lake = this.lake.getObject();
        String source = run.source();
        IngestSummary summary;
        String inputDescription;
        if (source.startsWith("prometheus:")) {
            try (PrometheusSource prometheus = new PrometheusSource(prometheusConfig(source.substring(
                    "prometheus:".length())), lake.spark(), lake.root() + "/_staging")) {
                summary = new BronzeIngest(lake).ingest(prometheus.read(run.day()), run.day(), run.defaultCluster());
            }
            inputDescription = source.substring("prometheus:".length());
        } else if (source.startsWith("metrics:")) {
            String input = source.substring("metrics:".length());
            MetricsFiles files = new MetricsFiles(lake.spark());
            List<MetricsFiles.MetricsFile> inputs = files.files(input, run.day());
            if (inputs.isEmpty()) {
                throw new MetricsInputException("no metrics files for " + run.day() + " in " + input);
            }
            summary = new BronzeIngest(lake).ingest(files, inputs, run.day(), run.defaultCluster());
            inputDescription = inputs.size() + " files";
        } else {
            throw new MetricsInputException("unsupported source " + source);
        }
        summary.byCluster().forEach(run::putIngest);
        IngestSummary.SampleCounts total = summary.total();
        contribution.incrementWriteCount(total.loaded());
        LOG.info("[1/4] ingest {}: {}, {} samples read, {} loaded, {} quarantined{}, {} ignored, {} of other days"
                        + " ({})", run.day(), inputDescription, total.read(), total.loaded(), total.quarantined(),
                summary.quarantineReasons().isEmpty() ? "" : " " + summary.quarantineReasons(), total.ignored(),
                total.otherDay(), elapsed(started));
        if (total.quarantined() > 0) {
            LOG.warn("{} input lines or samples were quarantined for {}: see table quarantined_input (and the lake's "
                    + "bronze/quarantine table) for file, line and reason", total.quarantined(), run.day());
        }
        return RepeatStatus.FINISHED;
    }

    private PrometheusConfig prometheusConfig(String url) {
        CostlakeProperties.PrometheusClient client = properties.getPrometheusClient();
        try {
            PrometheusConfig config = PrometheusConfig.of(URI.create(url))
                    .withStep(Duration.ofSeconds(modelConfig.stepSeconds()))
                    .withParallelism(client.getParallelism())
                    .withRetries(Duration.ofSeconds(client.getTimeoutSeconds()), client.getRetries(),
                            PrometheusConfig.DEFAULT_INITIAL_BACKOFF);
            if (!client.getToken().isBlank()) {
                config = config.withBearerToken(client.getToken());
            }
            if (!client.getBasicAuth().isBlank()) {
                config = config.withBasicAuth(client.getBasicAuth());
            }
            if (!client.getCa().isBlank()) {
                config = config.withCaCertificate(Path.of(client.getCa()));
            }
            if (!client.getTenant().isBlank()) {
                config = config.withTenant(client.getTenant());
            }
            return config;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("costlake.prometheus-client: " + e.getMessage(), e);
        }
    }

    RepeatStatus attribute(StepContribution contribution, ChunkContext chunk) {
        RunContext run = RunContext.of(chunk);
        long started = System.nanoTime();
        AttributionResult result = new CostAttribution(lake.getObject(), prices, modelConfig)
                .attribute(run.clusters(), run.day());
        result.audits().forEach(run::putAudit);
        contribution.incrementWriteCount(result.audits().stream().mapToLong(ClusterDayAudit::containerSamples).sum());
        IdleGpuResult idle = new IdleGpuDetector(lake.getObject(), idleGpuConfig).detect(run.clusters(), run.day());
        LOG.info("[2/4] idle GPUs {}: {} episodes, {} idle GPU-hours wasting {}, {} unallocated GPU-hours costing {}{}",
                run.day(), idle.episodes(), "%.1f".formatted(idle.idleGpuHours()), money(idle.wastedCost()),
                "%.1f".formatted(idle.unallocatedGpuHours()), money(idle.unallocatedCost()),
                idle.unresolvedGpuHours() > 0 ? ", %.1f GPU-hours with no unambiguous pod".formatted(
                        idle.unresolvedGpuHours()) : "");
        for (ClusterDayAudit audit : result.audits()) {
            LOG.info("[2/4] attribute {}: cluster {} costs {} (nodes {} + volumes {}), conservation delta {} ({})",
                    run.day(), audit.cluster(), money(audit.namespaceCost()), money(audit.nodeCost()),
                    money(audit.volumeCost()), "%.2e".formatted(audit.delta()), elapsed(started));
            if (audit.unpricedSamples() > 0) {
                LOG.warn("{} container samples of cluster {} ran on nodes without capacity metrics and are not "
                        + "billed (counted in cost_run.unpriced_samples)", audit.unpricedSamples(), audit.cluster());
            }
        }
        return RepeatStatus.FINISHED;
    }

    RepeatStatus persist(StepContribution contribution, ChunkContext chunk) {
        RunContext run = RunContext.of(chunk);
        long started = System.nanoTime();
        Lake lake = this.lake.getObject();
        LocalDate day = run.day();
        for (String cluster : run.clusters()) {
            ClusterDayAudit audit = run.audit(cluster);
            IngestSummary.SampleCounts counts = run.counts(cluster);
            long runId = store.startRun(cluster, day, run.source(), run.startedAt());
            run.putRunId(cluster, runId);
            List<DayRows> results = new ArrayList<>();
            // Each table's day listed once, from its version's checksum where that lists its files (Lake#ofDay).
            Lake reads = lake.ofDay(List.of(cluster), day);
            for (Map.Entry<GoldTable, ResultTable> table : Map.of(
                    GoldTable.CONTAINER_HOUR, ResultTable.CONTAINER_COST,
                    GoldTable.NAMESPACE_DAY, ResultTable.NAMESPACE_COST,
                    GoldTable.WORKLOAD_DAY, ResultTable.WORKLOAD_COST,
                    GoldTable.NODE_DAY, ResultTable.NODE_COST,
                    GoldTable.COST_POOL_DAY, ResultTable.COST_POOL,
                    GoldTable.VOLUME_DAY, ResultTable.STORAGE_COST,
                    GoldTable.LABEL_DAY, ResultTable.LABEL_COST).entrySet()) {
                results.add(GoldRows.of(reads, table.getKey(), table.getValue(), cluster, day));
            }
            results.add(GoldRows.of(reads, QuarantineTable.INSTANCE, ResultTable.QUARANTINE, cluster, day));
            results.add(GoldRows.of(reads, IdleGpuTable.EPISODE, ResultTable.IDLE_GPU, cluster, day));
            results.add(GoldRows.of(reads, IdleGpuTable.UNALLOCATED, ResultTable.GPU_UNALLOCATED, cluster, day));
            long stored = store.completeDay(runId, new RunOutcome(cluster, day, counts.read(), counts.loaded(), counts.quarantined(),
                    counts.ignored(), counts.otherDay(), audit.containerSamples(), audit.unpricedSamples(),
                    audit.nodeCost(), audit.volumeCost(), audit.namespaceCost(), audit.delta(),
                    audit.relativeDelta()), results);
            contribution.incrementWriteCount(stored);
            LOG.info("[3/4] persist {}: cluster {} stored as run {}, {} rows ({})", day, cluster, runId, stored,
                    elapsed(started));
        }
        int detailDays = properties.getRetention().getDetailDays();
        if (detailDays > 0) {
            int deleted = store.deleteDetailBefore(day.minusDays(detailDays - 1L));
            if (deleted > 0) {
                LOG.info("retention: deleted {} container-hour rows older than {} days", deleted, detailDays);
            }
        }
        return RepeatStatus.FINISHED;
    }

    RepeatStatus report(StepContribution contribution, ChunkContext chunk) {
        RunContext run = RunContext.of(chunk);
        LocalDate day = run.day();
        Path out = Path.of(properties.getOut());
        ReportPeriod today = ReportPeriod.of(day, day);
        ReportPeriod monthToDate = ReportPeriod.of(day.withDayOfMonth(1), day);
        List<Path> files = new ArrayList<>(csvReports.write(today, out.resolve("daily")));
        files.add(pdfReport.write(today, out.resolve("daily")));
        files.addAll(csvReports.write(monthToDate, out.resolve("month-to-date")));
        files.add(pdfReport.write(monthToDate, out.resolve("month-to-date")));
        contribution.incrementWriteCount(files.size());
        LOG.info("[4/4] report {}: {} files in {}", day, files.size(), out.toAbsolutePath());
        return RepeatStatus.FINISHED;
    }

    private static String money(double amount) {
        return "%.2f".formatted(amount);
    }

    private static String elapsed(long startedNanos) {
        Duration duration = Duration.ofNanos(System.nanoTime() - startedNanos);
        return "%.1f s".formatted(duration.toMillis() / 1000.0);
    }
}
