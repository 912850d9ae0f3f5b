package io.costlake.ingest.bronze;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one ingest of a day read and did with it, per cluster, and why samples were quarantined.
 */
public record IngestSummary(LocalDate day, Map<String, SampleCounts> byCluster, Map<String, Long> quarantineReasons) {
    public IngestSummary {
        requireNonNull(day, "day is null");
        byCluster = Map.copyOf(requireNonNull(byCluster, "byCluster is null"));
        quarantineReasons = Map.copyOf(requireNonNull(quarantineReasons, "quarantineReasons is null"));
    }

    public Set<String> clusters() {
        return new TreeMap<>(byCluster).keySet();
    }

    public SampleCounts total() {
        return byCluster.values().stream().reduce(SampleCounts.ZERO, SampleCounts::plus);
    }

    public SampleCounts counts(String cluster) {
        return byCluster.getOrDefault(cluster, SampleCounts.ZERO);
    }

    /**
     * {@code read = loaded + quarantined + ignored + otherDay}: ignored samples belong to metric families
     * costlake does not use (or cAdvisor's pod- and cgroup-level aggregates); otherDay samples belong to
     * another day of a multi-day input.
     */
    public record SampleCounts(long read, long loaded, long quarantined, long ignored, long otherDay) {
        public static final SampleCounts ZERO = new SampleCounts(0, 0, 0, 0, 0);

        public SampleCounts {
            if (read != loaded + quarantined + ignored + otherDay) {
                throw new IllegalArgumentException("counts do not add up: read " + read + " != loaded " + loaded
                        + " + quarantined " + quarantined + " + ignored " + ignored + " + otherDay " + otherDay);
            }
        }

        public SampleCounts plus(SampleCounts other) {
            return new SampleCounts(read + other.read, loaded + other.loaded, quarantined + other.quarantined,
                    ignored + other.ignored, otherDay + other.otherDay);
        }
    }
}
