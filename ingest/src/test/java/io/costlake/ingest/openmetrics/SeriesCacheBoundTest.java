package io.costlake.ingest.openmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How many series a split of an OpenMetrics dump caches: a quarter of the heap over the cores, at 1 KB each. */
class SeriesCacheBoundTest {
    private static final long GIB = 1L << 30;

    @Test
    void aFourGigabyteHeapOnTwoCoresCachesAFiftyThousandPodClustersSeries() {
        // 4 GiB / 4 / 2 cores / 1,024 bytes = 524,288: a 50,000-pod day has ~254,000 series, each in every scrape.
        assertThat(OpenMetricsFileSource.maxCachedSeries(4 * GIB, 2)).isEqualTo(524_288).isGreaterThan(254_000);
    }

    @Test
    void moreCoresShareTheSameBudget() {
        // 4 GiB / 4 / 8 cores / 1,024 bytes = 131,072.
        assertThat(OpenMetricsFileSource.maxCachedSeries(4 * GIB, 8)).isEqualTo(131_072);
    }

    @Test
    void aSmallHeapStillCachesFiftyThousandSeries() {
        // 256 MiB / 4 / 2 / 1,024 = 32,768, raised to the floor.
        assertThat(OpenMetricsFileSource.maxCachedSeries(256L << 20, 2)).isEqualTo(50_000);
    }

    @Test
    void refusesANonPositiveHeapOrCoreCount() {
        assertThatThrownBy(() -> OpenMetricsFileSource.maxCachedSeries(0, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenMetricsFileSource.maxCachedSeries(GIB, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
