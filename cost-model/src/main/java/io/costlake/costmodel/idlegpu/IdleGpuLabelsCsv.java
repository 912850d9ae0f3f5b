package io.costlake.costmodel.idlegpu;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an idle-GPU labels file as {@code costlake generate} writes it ({@code labels/idle-gpu-hours.csv}):
 * a header with at least {@code cluster,node,gpu_uuid,hour,idle} in any order, optionally
 * {@code mig_instance}; hour as ISO-8601 instant, idle as true/false (also yes/no, 1/0). Plain comma
 * separation without quoting: none of the values contains a comma. The only class of the cost model that
 * touches a file, kept apart so the detector stays file-free.
 */
public final class IdleGpuLabelsCsv {
    private IdleGpuLabelsCsv() {}

    public static List<IdleHourLabel> read(Path file) {
        requireNonNull(file, "file is null");
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new IllegalArgumentException("labels file is empty: " + file);
            }
            Map<String, Integer> columns = new HashMap<>();
            String[] names = header.strip().split(",", -1);
            for (int i = 0; i < names.length; i++) {
                columns.put(names[i].strip().toLowerCase(Locale.ROOT), i);
            }
            for (String required : List.of("cluster", "node", "gpu_uuid", "hour", "idle")) {
                if (!columns.containsKey(required)) {
                    throw new IllegalArgumentException("labels file " + file + " has no column " + required);
                }
            }
            Integer migColumn = columns.get("mig_instance");
            List<IdleHourLabel> labels = new ArrayList<>();
            String line;
            long lineNumber = 1;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                try {
                    labels.add(new IdleHourLabel(field(fields, columns.get("cluster")),
                            field(fields, columns.get("node")), field(fields, columns.get("gpu_uuid")),
                            migColumn == null ? "" : field(fields, migColumn),
                            Instant.parse(field(fields, columns.get("hour"))),
                            idle(field(fields, columns.get("idle")))));
                } catch (IllegalArgumentException | DateTimeParseException e) {
                    throw new IllegalArgumentException("labels file " + file + " line " + lineNumber + ": "
                            + e.getMessage(), e);
                }
            }
            return labels;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read labels file " + file, e);
        }
    }

    private static String field(String[] fields, int index) {
        return index < fields.length ? fields[index].strip() : "";
    }

    private static boolean idle(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("idle is not true/false: " + value);
        };
    }
}
