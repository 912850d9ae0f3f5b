package io.costlake.costmodel.idlegpu;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Row;

import io.costlake.ingest.lake.Lake;

/**
 * Scores the detector's episodes in the lake against labelled (GPU, hour) pairs: an hour is detected idle
 * when it lies inside an episode of that GPU. Only hours of the evaluated days count; a detected hour that
 * has no label counts as a false positive. Episodes are read from the evaluated days and the day after
 * (an idle run that crosses the last midnight is written by the next day's run). Only episode rows are
 * collected, never samples.
 */
public final class IdleGpuEvaluation {
    private final Lake lake;

    public IdleGpuEvaluation(Lake lake) {
        this.lake = requireNonNull(lake, "lake is null");
    }

    /** For {@code costlake evaluate-idle --labels FILE --date D}. */
    public IdleGpuScore evaluate(Path labelsCsv, LocalDate day) {
        return evaluate(IdleGpuLabelsCsv.read(labelsCsv), day, day);
    }

    public IdleGpuScore evaluate(Path labelsCsv, LocalDate from, LocalDate to) {
        return evaluate(IdleGpuLabelsCsv.read(labelsCsv), from, to);
    }

    public IdleGpuScore evaluate(List<IdleHourLabel> labels, LocalDate from, LocalDate to) {
        requireNonNull(labels, "labels is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to " + to + " is before from " + from);
        }
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Set<IdleHourLabel.GpuHour> detected = detectedHours(from, to, start, end);
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        Set<IdleHourLabel.GpuHour> labelled = new HashSet<>();
        for (IdleHourLabel label : labels) {
            if (label.hour().isBefore(start) || !label.hour().isBefore(end) || !labelled.add(label.gpuHour())) {
                continue;
            }
            boolean found = detected.contains(label.gpuHour());
            if (label.idle()) {
                if (found) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (found) {
                fp++;
            } else {
                tn++;
            }
        }
        for (IdleHourLabel.GpuHour hour : detected) {
            if (!labelled.contains(hour)) {
                fp++;
            }
        }
        return new IdleGpuScore(tp, fp, fn, tn);
    }

    private Set<IdleHourLabel.GpuHour> detectedHours(LocalDate from, LocalDate to, Instant start, Instant end) {
        Set<IdleHourLabel.GpuHour> hours = new HashSet<>();
        List<Row> episodes = lake.readAll(IdleGpuTable.EPISODE)
                .map(rows -> rows.where(col("day").between(lit(java.sql.Date.valueOf(from)),
                                lit(java.sql.Date.valueOf(to.plusDays(1)))))
                        .select("cluster", "node", "gpu_uuid", "mig_instance", "start_at", "end_at")
                        .distinct().collectAsList())
                .orElse(List.of());
        for (Row row : episodes) {
            Instant first = ((Timestamp) row.get(4)).toInstant();
            Instant last = ((Timestamp) row.get(5)).toInstant();
            for (Instant hour = first; hour.isBefore(last); hour = hour.plusSeconds(3600)) {
                if (!hour.isBefore(start) && hour.isBefore(end)) {
                    hours.add(new IdleHourLabel.GpuHour(row.getString(0), row.getString(1), row.getString(2),
                            row.getString(3), hour));
                }
            }
        }
        return hours;
    }
}
