package io.costlake.ingest.openmetrics;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The schema every metric source produces before bronze: one row per input line or sample, with the
 * parse error (if any) and, for rejected lines, the raw text. Sources differ; everything after this
 * schema is shared.
 */
public final class ParsedSamples {
    public static final String SOURCE = "source";
    public static final String LINE = "line";
    public static final String METRIC = "metric";
    public static final String LABELS = "labels";
    public static final String TS = "ts";
    public static final String VALUE = "value";
    public static final String ERROR = "error";
    public static final String RAW = "raw";

    public static final StructType SCHEMA = new StructType()
            .add(SOURCE, DataTypes.StringType, false)
            .add(LINE, DataTypes.LongType, true)
            .add(METRIC, DataTypes.StringType, true)
            .add(LABELS, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true)
            .add(TS, DataTypes.TimestampType, true)
            .add(VALUE, DataTypes.DoubleType, true)
            .add(ERROR, DataTypes.StringType, true)
            .add(RAW, DataTypes.StringType, true);

    private ParsedSamples() {}
}
