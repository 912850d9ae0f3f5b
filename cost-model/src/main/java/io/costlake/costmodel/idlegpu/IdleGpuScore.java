package io.costlake.costmodel.idlegpu;

import java.util.Locale;

/**
 * Precision, recall and F1 of idle-GPU detection over (GPU, hour) against labels. A ratio whose
 * denominator is 0 is 1 when nothing was missed (no labelled idle hour / no detected hour), as is usual.
 */
public record IdleGpuScore(long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {
    public IdleGpuScore {
        if (truePositives < 0 || falsePositives < 0 || falseNegatives < 0 || trueNegatives < 0) {
            throw new IllegalArgumentException("confusion counts must not be negative");
        }
    }

    public double precision() {
        long detected = truePositives + falsePositives;
        return detected == 0 ? 1.0 : (double) truePositives / detected;
    }

    public double recall() {
        long actual = truePositives + falseNegatives;
        return actual == 0 ? 1.0 : (double) truePositives / actual;
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    public String describe() {
        return String.format(Locale.ROOT, "precision %.4f, recall %.4f, F1 %.4f (TP %d, FP %d, FN %d, TN %d)",
                precision(), recall(), f1(), truePositives, falsePositives, falseNegatives, trueNegatives);
    }
}
