package io.costlake.costmodel;

import java.util.List;

import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/** Column-name lists for Spark's equi-joins ({@code USING (a, b)}), which the Java API takes as a Scala Seq. */
public final class JoinKeys {
    private JoinKeys() {}

    public static Seq<String> of(String... columns) {
        return CollectionConverters.asScala(List.of(columns)).toList();
    }
}
