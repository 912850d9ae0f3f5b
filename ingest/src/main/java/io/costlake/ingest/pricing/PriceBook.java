package io.costlake.ingest.pricing;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;

/**
 * List prices (DESIGN §2.2): default unit rates, on-demand and spot hourly prices of instance types,
 * per-GPU-model hourly prices and per-storage-class monthly prices. The defaults are OpenCost's.
 *
 * <p>An instance type may have an on-demand price, a spot price, or both: a spot (preemptible) node is
 * priced by the spot price of its type when there is one, else by the on-demand price.
 */
public record PriceBook(
        String currency,
        DefaultRates defaults,
        Map<String, Double> instanceTypeHourly,
        Map<String, Double> gpuModelHourly,
        Map<String, Double> storageClassGiBMonth,
        Map<String, Double> instanceTypeSpotHourly) implements Serializable {

    public static final DefaultRates OPENCOST_DEFAULTS = new DefaultRates(0.031611, 0.004237, 0.95, 0.04);

    public PriceBook {
        requireNonNull(currency, "currency is null");
        requireNonNull(defaults, "defaults is null");
        instanceTypeHourly = Map.copyOf(requireNonNull(instanceTypeHourly, "instanceTypeHourly is null"));
        gpuModelHourly = Map.copyOf(requireNonNull(gpuModelHourly, "gpuModelHourly is null"));
        storageClassGiBMonth = Map.copyOf(requireNonNull(storageClassGiBMonth, "storageClassGiBMonth is null"));
        instanceTypeSpotHourly = Map.copyOf(requireNonNull(instanceTypeSpotHourly, "instanceTypeSpotHourly is null"));
    }

    /** A price book without spot prices. */
    public PriceBook(String currency, DefaultRates defaults, Map<String, Double> instanceTypeHourly,
            Map<String, Double> gpuModelHourly, Map<String, Double> storageClassGiBMonth) {
        this(currency, defaults, instanceTypeHourly, gpuModelHourly, storageClassGiBMonth, Map.of());
    }

    /** The same price book with these spot prices per instance type. */
    public PriceBook withSpotHourly(Map<String, Double> spotHourly) {
        return new PriceBook(currency, defaults, instanceTypeHourly, gpuModelHourly, storageClassGiBMonth, spotHourly);
    }

    public static PriceBook openCostDefaults() {
        return new PriceBook("USD", OPENCOST_DEFAULTS, Map.of(), Map.of(), Map.of());
    }

    public Optional<Double> instanceHourly(String instanceType) {
        return Optional.ofNullable(instanceType).map(instanceTypeHourly::get);
    }

    public double gpuHourly(String model) {
        return Optional.ofNullable(model).map(gpuModelHourly::get).orElse(defaults.gpuHour());
    }

    public double storageGiBMonth(String storageClass) {
        return Optional.ofNullable(storageClass).map(storageClassGiBMonth::get).orElse(defaults.storageGiBMonth());
    }

    /** Unit rates used to split a node price and to price nodes whose price is unknown. */
    public record DefaultRates(double cpuCoreHour, double ramGiBHour, double gpuHour, double storageGiBMonth)
            implements Serializable {
        public DefaultRates {
            checkRate("cpuCoreHour", cpuCoreHour);
            checkRate("ramGiBHour", ramGiBHour);
            checkRate("gpuHour", gpuHour);
            checkRate("storageGiBMonth", storageGiBMonth);
        }

        private static void checkRate(String name, double rate) {
            if (!Double.isFinite(rate) || rate < 0) {
                throw new IllegalArgumentException(name + " must be a non-negative number, got " + rate);
            }
        }
    }
}
