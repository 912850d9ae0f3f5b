package io.costlake.reports.pdf;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.costlake.reports.ReportPeriod;

/** Everything the PDF shows, read from PostgreSQL before a single page is drawn. */
record ReportContent(
        ReportPeriod period,
        KeyFigures figures,
        List<NamedCost> namespaces,
        List<NamedCost> costPools,
        List<DailyCost> daily,
        List<WorkloadCost> topWorkloads,
        List<WorkloadCost> leastEfficientWorkloads,
        List<GpuNodeCost> gpuNodes,
        List<IdleGpuFinding> idleGpus,
        List<RunAudit> audit) {
    ReportContent {
        requireNonNull(period, "period is null");
        requireNonNull(figures, "figures is null");
        namespaces = List.copyOf(requireNonNull(namespaces, "namespaces is null"));
        costPools = List.copyOf(requireNonNull(costPools, "costPools is null"));
        daily = List.copyOf(requireNonNull(daily, "daily is null"));
        topWorkloads = List.copyOf(requireNonNull(topWorkloads, "topWorkloads is null"));
        leastEfficientWorkloads = List.copyOf(requireNonNull(leastEfficientWorkloads, "leastEfficientWorkloads is null"));
        gpuNodes = List.copyOf(requireNonNull(gpuNodes, "gpuNodes is null"));
        idleGpus = List.copyOf(requireNonNull(idleGpus, "idleGpus is null"));
        audit = List.copyOf(requireNonNull(audit, "audit is null"));
    }
}
