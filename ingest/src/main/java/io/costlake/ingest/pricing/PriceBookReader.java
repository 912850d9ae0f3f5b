package io.costlake.ingest.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads a price book YAML (DESIGN §2.2). Every problem is reported with the file, the key path and what is
 * wrong, because a typo in a price silently mis-bills every namespace.
 */
public final class PriceBookReader {
    private static final Set<String> TOP_LEVEL_KEYS = Set.of("currency", "defaults", "instanceTypes", "gpuModels",
            "storageClasses");
    /** Keys of an instance type: its on-demand price, its spot (preemptible) price, or both. */
    private static final List<String> INSTANCE_TYPE_KEYS = List.of("hourly", "spotHourly");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public PriceBook read(Path file) {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = YAML.readTree(in);
        } catch (NoSuchFileException e) {
            throw new PriceBookException(file + ": price book not found");
        } catch (IOException e) {
            throw new PriceBookException(file + ": not valid YAML: " + e.getMessage());
        }
        return parse(file.toString(), root);
    }

    PriceBook parse(String source, JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return PriceBook.openCostDefaults();
        }
        if (!root.isObject()) {
            throw new PriceBookException(source + ": expected a mapping at the top level");
        }
        root.fieldNames().forEachRemaining(key -> {
            if (!TOP_LEVEL_KEYS.contains(key)) {
                throw new PriceBookException(source + ": unknown key '" + key + "' (expected one of "
                        + String.join(", ", TOP_LEVEL_KEYS.stream().sorted().toList()) + ")");
            }
        });
        String currency = "USD";
        if (root.has("currency")) {
            JsonNode node = root.get("currency");
            if (!node.isTextual() || !node.asText().matches("[A-Z]{3}")) {
                throw new PriceBookException(source + ": currency: expected an ISO 4217 code such as USD, got '"
                        + node.asText() + "'");
            }
            currency = node.asText();
        }
        PriceBook.DefaultRates defaults = PriceBook.OPENCOST_DEFAULTS;
        if (root.has("defaults")) {
            JsonNode node = object(source, "defaults", root.get("defaults"));
            node.fieldNames().forEachRemaining(key -> {
                if (!Set.of("cpuCoreHour", "ramGiBHour", "gpuHour", "storageGiBMonth").contains(key)) {
                    throw new PriceBookException(source + ": defaults." + key
                            + ": unknown key (expected cpuCoreHour, ramGiBHour, gpuHour, storageGiBMonth)");
                }
            });
            defaults = new PriceBook.DefaultRates(
                    price(source, "defaults.cpuCoreHour", node.get("cpuCoreHour"), defaults.cpuCoreHour()),
                    price(source, "defaults.ramGiBHour", node.get("ramGiBHour"), defaults.ramGiBHour()),
                    price(source, "defaults.gpuHour", node.get("gpuHour"), defaults.gpuHour()),
                    price(source, "defaults.storageGiBMonth", node.get("storageGiBMonth"), defaults.storageGiBMonth()));
        }
        JsonNode instanceTypes = root.get("instanceTypes");
        return new PriceBook(currency, defaults,
                entries(source, "instanceTypes", instanceTypes, "hourly", INSTANCE_TYPE_KEYS),
                entries(source, "gpuModels", root.get("gpuModels"), "hourly", List.of("hourly")),
                entries(source, "storageClasses", root.get("storageClasses"), "gibMonth", List.of("gibMonth")),
                entries(source, "instanceTypes", instanceTypes, "spotHourly", INSTANCE_TYPE_KEYS));
    }

    /**
     * The {@code priceKey} price of every entry of a section that has one. Each entry must be a mapping of
     * known keys holding at least one price; an entry without {@code priceKey} is left out.
     */
    private static Map<String, Double> entries(String source, String section, JsonNode node, String priceKey,
            List<String> entryKeys) {
        Map<String, Double> prices = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return prices;
        }
        object(source, section, node).fields().forEachRemaining(entry -> {
            String path = section + "." + entry.getKey();
            JsonNode value = object(source, path, entry.getValue());
            if (entryKeys.stream().noneMatch(value::has)) {
                throw new PriceBookException(source + ": " + path + ": missing '" + String.join("' or '", entryKeys)
                        + "'");
            }
            value.fieldNames().forEachRemaining(key -> {
                if (!entryKeys.contains(key)) {
                    throw new PriceBookException(source + ": " + path + "." + key + ": unknown key (expected "
                            + String.join(", ", entryKeys) + ")");
                }
            });
            if (value.has(priceKey)) {
                prices.put(entry.getKey(), price(source, path + "." + priceKey, value.get(priceKey), 0));
            }
        });
        return prices;
    }

    private static JsonNode object(String source, String path, JsonNode node) {
        if (!node.isObject()) {
            throw new PriceBookException(source + ": " + path + ": expected a mapping, got '" + node.asText() + "'");
        }
        return node;
    }

    private static double price(String source, String path, JsonNode node, double fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw new PriceBookException(source + ": " + path + ": expected a number, got '" + node.asText() + "'");
        }
        double value = node.asDouble();
        if (!Double.isFinite(value) || value < 0) {
            throw new PriceBookException(source + ": " + path + ": price must be zero or positive, got " + value);
        }
        return value;
    }
}
