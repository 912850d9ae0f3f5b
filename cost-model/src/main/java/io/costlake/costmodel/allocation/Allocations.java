package io.costlake.costmodel.allocation;

import static java.util.Objects.requireNonNull;

import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The allocation of a day ({@link ContainerAllocation#allocate}).
 *
 * @param rows per node, sample interval and container: a node is its {@code node_index}, a container its
 *     {@code container_id}
 * @param nodes (node_index, cluster, node): every node of the day, and per cluster one index with a null node
 *     for containers whose node is unknown; a small local table, joined back where names are wanted
 * @param persisted what the allocation persisted (its per-series tables, read twice): for the caller to
 *     unpersist once it has read {@code rows}
 */
public record Allocations(Dataset<Row> rows, Dataset<Row> nodes, List<Dataset<Row>> persisted) {
    public Allocations {
        requireNonNull(rows, "rows is null");
        requireNonNull(nodes, "nodes is null");
        persisted = List.copyOf(requireNonNull(persisted, "persisted is null"));
    }
}
