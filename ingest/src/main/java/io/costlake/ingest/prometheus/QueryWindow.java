package io.costlake.ingest.prometheus;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code query_range} time window: evaluation instants {@code start, start + step, ..., end}, both ends
 * included (as Prometheus evaluates them).
 */
public record QueryWindow(Instant start, Instant end, Duration step) {
    /**
     * Prometheus refuses a {@code query_range} whose start, end and step would return more than 11,000 points
     * per series ("exceeded maximum resolution of 11,000 points per timeseries").
     */
    public static final int MAX_POINTS_PER_SERIES = 11_000;

    public QueryWindow {
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        requireNonNull(step, "step is null");
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be positive, got " + step);
        }
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("window ends " + end + " before it starts " + start);
        }
        if (Duration.between(start, end).toMillis() % step.toMillis() != 0) {
            throw new IllegalArgumentException("window " + start + ".." + end + " is not a whole number of steps");
        }
    }

    /** Evaluation instants in the window, each a point per series in the response. */
    public long points() {
        return Duration.between(start, end).toMillis() / step.toMillis() + 1;
    }

    /**
     * The windows covering one UTC day at the given step: instants {@code 00:00, 00:00 + step, ...} up to the
     * last one before midnight, in consecutive windows of at most {@link #MAX_POINTS_PER_SERIES} points that
     * neither overlap nor leave gaps, so every instant is asked for exactly once. Windows are equally sized
     * (up to one point) rather than full-then-remainder, which spreads the work over parallel requests.
     */
    public static List<QueryWindow> coveringDay(LocalDate day, Duration step) {
        requireNonNull(day, "day is null");
        requireNonNull(step, "step is null");
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be positive, got " + step);
        }
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        long stepMillis = step.toMillis();
        long totalPoints = (Duration.ofDays(1).toMillis() + stepMillis - 1) / stepMillis;
        long windows = (totalPoints + MAX_POINTS_PER_SERIES - 1) / MAX_POINTS_PER_SERIES;
        List<QueryWindow> result = new ArrayList<>();
        long firstPoint = 0;
        for (long w = 0; w < windows; w++) {
            long points = totalPoints / windows + (w < totalPoints % windows ? 1 : 0);
            Instant start = dayStart.plusMillis(firstPoint * stepMillis);
            Instant end = dayStart.plusMillis((firstPoint + points - 1) * stepMillis);
            result.add(new QueryWindow(start, end, step));
            firstPoint += points;
        }
        return List.copyOf(result);
    }
}
