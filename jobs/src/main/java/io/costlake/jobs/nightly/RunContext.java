package io.costlake.jobs.nightly;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.item.ExecutionContext;

import io.costlake.costmodel.audit.ClusterDayAudit;
import io.costlake.ingest.bronze.IngestSummary.SampleCounts;

/**
 * What the steps of one nightly run hand to each other, kept in the job's execution context so a restarted
 * job (Spring Batch restart from the failed step) still has what the completed steps found.
 */
final class RunContext {
    static final String SCHEMA = "schema";
    static final String DAY = "day";
    static final String CLUSTER = "cluster";
    static final String SOURCE = "source";
    static final String ATTEMPT = "attempt";
    private static final String CLUSTERS = "clusters";

    private final JobParameters parameters;
    private final ExecutionContext context;
    private final JobExecution execution;

    private RunContext(JobExecution execution) {
        this.parameters = execution.getJobParameters();
        this.context = execution.getExecutionContext();
        this.execution = execution;
    }

    /** When this execution of the job began (a restart counts from its own start). */
    java.time.OffsetDateTime startedAt() {
        java.time.LocalDateTime start = execution.getStartTime() != null ? execution.getStartTime()
                : execution.getCreateTime();
        return start.atZone(java.time.ZoneId.systemDefault()).toOffsetDateTime();
    }

    static RunContext of(ChunkContext chunk) {
        return new RunContext(chunk.getStepContext().getStepExecution().getJobExecution());
    }

    static RunContext of(JobExecution execution) {
        return new RunContext(execution);
    }

    LocalDate day() {
        return LocalDate.parse(parameters.getString(DAY));
    }

    String defaultCluster() {
        return parameters.getString(CLUSTER);
    }

    String source() {
        return parameters.getString(SOURCE);
    }

    List<String> clusters() {
        String clusters = context.getString(CLUSTERS, "");
        return clusters.isEmpty() ? List.of() : Arrays.asList(clusters.split(","));
    }

    void putIngest(String cluster, SampleCounts counts) {
        List<String> clusters = new java.util.ArrayList<>(clusters());
        if (!clusters.contains(cluster)) {
            clusters.add(cluster);
        }
        context.putString(CLUSTERS, String.join(",", clusters));
        context.put("counts." + cluster, new long[] {counts.read(), counts.loaded(), counts.quarantined(),
                counts.ignored(), counts.otherDay()});
    }

    SampleCounts counts(String cluster) {
        long[] counts = (long[]) context.get("counts." + cluster);
        return counts == null ? SampleCounts.ZERO
                : new SampleCounts(counts[0], counts[1], counts[2], counts[3], counts[4]);
    }

    /** The cost_run row a cluster's results were stored under (set by the persist step). */
    void putRunId(String cluster, long runId) {
        context.putLong("runId." + cluster, runId);
    }

    java.util.Map<String, Long> runIds() {
        java.util.Map<String, Long> ids = new java.util.LinkedHashMap<>();
        for (String cluster : clusters()) {
            if (context.containsKey("runId." + cluster)) {
                ids.put(cluster, context.getLong("runId." + cluster));
            }
        }
        return ids;
    }

    /** Whether the ingest step counted samples of this cluster (it has not when it failed). */
    boolean ingested(String cluster) {
        return context.containsKey("counts." + cluster);
    }

    /** Whether the attribute step audited this cluster. */
    boolean attributed(String cluster) {
        return context.containsKey("audit." + cluster);
    }

    void putAudit(ClusterDayAudit audit) {
        context.put("audit." + audit.cluster(), new double[] {audit.nodeCost(), audit.volumeCost(),
                audit.namespaceCost(), audit.containerSamples(), audit.unpricedSamples()});
    }

    ClusterDayAudit audit(String cluster) {
        double[] audit = (double[]) context.get("audit." + cluster);
        if (audit == null) {
            throw new IllegalStateException("no conservation audit for cluster " + cluster + " on " + day());
        }
        return new ClusterDayAudit(cluster, day(), audit[0], audit[1], audit[2], (long) audit[3], (long) audit[4]);
    }
}
