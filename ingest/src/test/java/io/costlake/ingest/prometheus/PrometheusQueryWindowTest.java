package io.costlake.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

class PrometheusQueryWindowTest {
    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);
    private static final Instant MIDNIGHT = Instant.parse("2024-03-01T00:00:00Z");

    @Test
    void at_a_60_second_step_a_day_is_one_window_of_1440_points() {
        List<QueryWindow> windows = QueryWindow.coveringDay(DAY, Duration.ofSeconds(60));

        assertThat(windows).containsExactly(
                new QueryWindow(MIDNIGHT, Instant.parse("2024-03-01T23:59:00Z"), Duration.ofSeconds(60)));
        assertThat(windows.get(0).points()).isEqualTo(1440);
    }

    @Test
    void at_a_1_second_step_a_day_is_split_into_windows_of_at_most_11000_points_without_gaps_or_overlaps() {
        List<QueryWindow> windows = QueryWindow.coveringDay(DAY, Duration.ofSeconds(1));

        assertThat(windows).hasSize(8);
        assertThat(windows).allSatisfy(window -> assertThat(window.points()).isLessThanOrEqualTo(11_000));
        assertThat(windows.stream().mapToLong(QueryWindow::points).sum()).isEqualTo(86_400);
        assertThat(windows.get(0).start()).isEqualTo(MIDNIGHT);
        assertThat(windows.get(windows.size() - 1).end()).isEqualTo(Instant.parse("2024-03-01T23:59:59Z"));
        for (int i = 1; i < windows.size(); i++) {
            assertThat(windows.get(i).start()).isEqualTo(windows.get(i - 1).end().plusSeconds(1));
        }
    }

    @Test
    void exactly_11000_points_still_fit_in_one_window_and_11001_do_not() {
        // 86,400 / 8 s = 10,800 points: one window; 86,400 / 7 s would not divide, so check the bound itself.
        assertThat(QueryWindow.coveringDay(DAY, Duration.ofSeconds(8))).hasSize(1);
        assertThat(new QueryWindow(MIDNIGHT, MIDNIGHT.plusSeconds(10_999), Duration.ofSeconds(1)).points())
                .isEqualTo(11_000);
        assertThat(QueryWindow.coveringDay(DAY, Duration.ofSeconds(7)))
                .allSatisfy(window -> assertThat(window.points()).isLessThanOrEqualTo(11_000))
                .hasSize(2);
    }

    @Test
    void a_step_that_does_not_divide_the_day_stops_at_the_last_instant_before_midnight() {
        List<QueryWindow> windows = QueryWindow.coveringDay(DAY, Duration.ofSeconds(7));

        QueryWindow last = windows.get(windows.size() - 1);
        assertThat(last.end()).isBefore(MIDNIGHT.plus(Duration.ofDays(1)));
        assertThat(last.end().plusSeconds(7)).isAfterOrEqualTo(MIDNIGHT.plus(Duration.ofDays(1)));
        assertThat(windows.stream().mapToLong(QueryWindow::points).sum()).isEqualTo((86_400 + 6) / 7);
    }

    @Test
    void a_window_must_be_a_whole_number_of_steps() {
        assertThatThrownBy(() -> new QueryWindow(MIDNIGHT, MIDNIGHT.plusSeconds(90), Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of steps");
        assertThatThrownBy(() -> new QueryWindow(MIDNIGHT, MIDNIGHT.minusSeconds(60), Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before it starts");
    }
}
