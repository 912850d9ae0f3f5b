package io.costlake.costmodel.idlegpu;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Every knob of idle-GPU detection (DESIGN §5).
 *
 * <p>"One pod held the GPU for the whole hour" is decided from the pod's <em>tenure</em> on the GPU, not
 * from a sample count: consecutive samples of the GPU that carry the same pod form one tenure; another
 * pod, a sample without pod, or a silence longer than {@code maxGapSeconds} ends it. A tenure
 * {@code [first, last + step)} holds hour h when it starts at most 1.5 steps after h and ends at most
 * 1.5 steps before h + 1 h (scrape phase and jitter, and one lost scrape at the edge of the day). Why not "seen in ≥ 90 % of the expected samples":
 * with a 5-minute step two lost scrapes already drop an hour below 90 %, while a pod that left at minute 57
 * still passes it; the tenure rule is exact about pods coming and going and indifferent to lost scrapes.
 * The real Alibaba trace loses 1–2 scrapes in a row about 2,300 times in 157 k samples, and a few gaps of
 * 4–9 minutes, which the default gap of 15 minutes bridges.
 *
 * @param idleUtilPercent an hour is idle when its mean utilisation is below this (0–100)
 * @param minIdleHours an episode needs at least this many consecutive idle hours
 * @param stepSeconds the scrape interval the sample counts are judged against (may be irregular, e.g. 57)
 * @param maxGapSeconds the longest silence inside a pod's tenure that still counts as lost scrapes
 * @param minSampleFraction an hour's mean is trusted only when at least this fraction of its expected
 *        samples ({@code 3600 / stepSeconds}) carry a utilisation value
 * @param migCapableModels GPU models (regex, full match) that can be partitioned into the slices below
 * @param migSlices MIG profiles offered as a recommendation, with the memory each one gives
 */
public record IdleGpuConfig(
        double idleUtilPercent,
        int minIdleHours,
        int stepSeconds,
        int maxGapSeconds,
        double minSampleFraction,
        String migCapableModels,
        List<MigSlice> migSlices) implements Serializable {

    /** A MIG profile and its framebuffer memory in MiB. */
    public record MigSlice(String profile, double memoryMib) implements Serializable {
        public MigSlice {
            requireNonNull(profile, "profile is null");
            if (!profile.matches("[1-7]g\\.[0-9]+gb")) {
                throw new IllegalArgumentException("not a MIG profile like 1g.10gb: " + profile);
            }
            if (!(memoryMib > 0)) {
                throw new IllegalArgumentException("memoryMib must be positive, got " + memoryMib);
            }
        }
    }

    public IdleGpuConfig {
        if (!(idleUtilPercent > 0 && idleUtilPercent <= 100)) {
            throw new IllegalArgumentException("idleUtilPercent must be within (0, 100], got " + idleUtilPercent);
        }
        if (minIdleHours < 1 || minIdleHours > 24 * 7) {
            throw new IllegalArgumentException("minIdleHours must be within 1..168, got " + minIdleHours);
        }
        if (stepSeconds < 1 || stepSeconds > 3600) {
            throw new IllegalArgumentException("stepSeconds must be within 1..3600, got " + stepSeconds);
        }
        if (maxGapSeconds < stepSeconds || maxGapSeconds > 3600) {
            throw new IllegalArgumentException(
                    "maxGapSeconds must be within stepSeconds..3600, got " + maxGapSeconds);
        }
        if (!(minSampleFraction > 0 && minSampleFraction <= 1)) {
            throw new IllegalArgumentException("minSampleFraction must be within (0, 1], got " + minSampleFraction);
        }
        requireNonNull(migCapableModels, "migCapableModels is null");
        try {
            Pattern.compile(migCapableModels);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("migCapableModels is not a regular expression: " + migCapableModels, e);
        }
        migSlices = requireNonNull(migSlices, "migSlices is null").stream()
                .map(slice -> requireNonNull(slice, "a MIG slice is null"))
                .sorted(Comparator.comparingDouble(MigSlice::memoryMib))
                .toList();
    }

    /**
     * DESIGN §5 defaults: below 5 % for at least 2 hours, 60 s scrapes, gaps up to 15 minutes bridged, half
     * of an hour's samples needed. MIG moves are offered for the 80 GB A100/A800/H100/H800/H200 family,
     * whose small profiles are 1g.10gb, 2g.20gb and 3g.40gb.
     */
    public static IdleGpuConfig defaults() {
        return new IdleGpuConfig(5.0, 2, 60, 900, 0.5, "(?i).*(A100.*80GB|A800.*80GB|H100|H800|H200).*",
                List.of(new MigSlice("1g.10gb", 10 * 1024), new MigSlice("2g.20gb", 20 * 1024),
                        new MigSlice("3g.40gb", 40 * 1024)));
    }

    public IdleGpuConfig withStepSeconds(int step) {
        return new IdleGpuConfig(idleUtilPercent, minIdleHours, step, Math.max(maxGapSeconds, step),
                minSampleFraction, migCapableModels, migSlices);
    }

    public IdleGpuConfig withThresholds(double utilPercent, int hours) {
        return new IdleGpuConfig(utilPercent, hours, stepSeconds, maxGapSeconds, minSampleFraction, migCapableModels,
                migSlices);
    }

    public IdleGpuConfig withMaxGapSeconds(int seconds) {
        return new IdleGpuConfig(idleUtilPercent, minIdleHours, stepSeconds, seconds, minSampleFraction,
                migCapableModels, migSlices);
    }

    /** Samples an hour must have for its mean to count. */
    public double minSamplesPerHour() {
        return minSampleFraction * 3600.0 / stepSeconds;
    }
}
