package io.costlake.reports.pdf;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.text.SimpleDateFormat;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.DateTickUnit;
import org.jfree.chart.axis.DateTickUnitType;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.labels.StandardPieSectionLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PiePlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.general.DefaultPieDataset;
import org.jfree.data.time.Day;
import org.jfree.data.time.TimePeriodAnchor;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * The report's charts, drawn with JFreeChart into images at three times their printed size so they stay
 * sharp when printed or zoomed. Titles are PDF text (searchable), not part of the image. Labels use the
 * JVM's logical SansSerif font, which falls back to the system's CJK font (fonts-droid-fallback) for
 * Chinese names; the PDF's own text does not depend on system fonts.
 */
final class CostCharts {
    /** Pixels per PDF point: 3 gives 216 dpi. */
    private static final int SCALE = 3;
    private static final Color[] PALETTE = {
        new Color(0x2563EB), new Color(0x0D9488), new Color(0xD97706), new Color(0x7C3AED),
        new Color(0xDB2777), new Color(0x16A34A), new Color(0x0284C7), new Color(0xCA8A04),
        new Color(0x9333EA), new Color(0x475569)};
    private static final Color IDLE = new Color(0x9CA3AF);
    private static final Color OTHER = new Color(0xCBD5E1);
    private static final Color GRID = new Color(0xE5E7EB);
    private static final Color INK = new Color(0x1F2933);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 9);
    private static final int MAX_LABEL = 38;

    private CostCharts() {
    }

    /** Horizontal bars, largest first; {@code __idle__}, {@code __unmounted__} and "other" in grey. */
    static BufferedImage topNamespaces(List<NamedCost> namespaces, float width, float height) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (NamedCost namespace : namespaces) {
            dataset.addValue(namespace.cost(), "cost", unique(label(namespace.name()), dataset));
        }
        JFreeChart chart = ChartFactory.createBarChart(null, null, null, dataset, PlotOrientation.HORIZONTAL,
                false, false, false);
        CategoryPlot plot = categoryPlot(chart);
        BarRenderer renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                NamedCost namespace = namespaces.get(column);
                if (namespace.isOther()) {
                    return OTHER;
                }
                return namespace.name().startsWith("__") ? IDLE : PALETTE[0];
            }
        };
        barStyle(renderer, money(namespaces));
        plot.setRenderer(renderer);
        NumberAxis values = (NumberAxis) plot.getRangeAxis();
        values.setUpperMargin(0.2);
        values.setNumberFormatOverride(money(namespaces.stream().map(NamedCost::cost).toList(), true));
        return render(chart, width, height);
    }

    /** Share of cost per pool; negative or zero pools (possible with shared-cost transfers) are left out. */
    static BufferedImage costPools(List<NamedCost> pools, float width, float height) {
        DefaultPieDataset<String> dataset = new DefaultPieDataset<>();
        for (NamedCost pool : pools) {
            if (pool.cost().signum() > 0) {
                dataset.setValue(label(pool.name()), pool.cost());
            }
        }
        JFreeChart chart = ChartFactory.createPieChart(null, dataset, false, false, false);
        @SuppressWarnings("unchecked")
        PiePlot<String> plot = (PiePlot<String>) chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setShadowPaint(null);
        plot.setLabelFont(LABEL);
        plot.setLabelPaint(INK);
        plot.setLabelBackgroundPaint(null);
        plot.setLabelOutlinePaint(null);
        plot.setLabelShadowPaint(null);
        plot.setLabelLinkPaint(IDLE);
        plot.setSectionOutlinesVisible(true);
        plot.setDefaultSectionOutlinePaint(Color.WHITE);
        plot.setDefaultSectionOutlineStroke(new BasicStroke(1.5f));
        plot.setInteriorGap(0.04);
        plot.setLabelGenerator(new StandardPieSectionLabelGenerator("{0}  {2}",
                new DecimalFormat("#,##0", symbols()), new DecimalFormat("0.0%", symbols())));
        int colour = 0;
        for (NamedCost pool : pools) {
            if (pool.cost().signum() > 0) {
                plot.setSectionPaint(label(pool.name()), pool.isOther() ? OTHER : PALETTE[colour++ % PALETTE.length]);
            }
        }
        return render(chart, width, height);
    }

    /** Total and idle cost per day; points at the start of each day so they sit on the day's tick. */
    static BufferedImage dailyTrend(List<DailyCost> days, LocalDate from, LocalDate to, float width, float height) {
        TimeZone utc = TimeZone.getTimeZone(ZoneOffset.UTC);
        TimeSeries total = new TimeSeries("Total cost");
        TimeSeries idle = new TimeSeries("Idle cost");
        for (DailyCost day : days) {
            Day period = new Day(date(day.day()), utc, Locale.ROOT);
            total.add(period, day.total());
            idle.add(period, day.idle());
        }
        TimeSeriesCollection dataset = new TimeSeriesCollection(utc);
        dataset.addSeries(total);
        dataset.addSeries(idle);
        dataset.setXPosition(TimePeriodAnchor.START);
        JFreeChart chart = ChartFactory.createTimeSeriesChart(null, null, null, dataset, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plotStyle(chart);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, PALETTE[0]);
        renderer.setSeriesPaint(1, IDLE);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        plot.setRenderer(renderer);
        DateAxis axis = (DateAxis) plot.getDomainAxis();
        axis.setTimeZone(utc);
        long spanDays = to.toEpochDay() - from.toEpochDay() + 1;
        // Pin the axis to the period (half a day of air each side) so one day still gets a sensible axis.
        axis.setRange(new Date(date(from).getTime() - 12 * 3_600_000L), new Date(date(to).getTime() + 12 * 3_600_000L));
        SimpleDateFormat format = new SimpleDateFormat(spanDays > 60 ? "yyyy-MM-dd" : "MMM d", Locale.ENGLISH);
        format.setTimeZone(utc);
        int step = (int) Math.max(1, Math.ceil(spanDays / (spanDays > 60 ? 6.0 : 10.0)));
        axis.setTickUnit(new DateTickUnit(DateTickUnitType.DAY, step), false, true);
        axis.setDateFormatOverride(format);
        axis.setTickLabelFont(SMALL);
        NumberAxis values = (NumberAxis) plot.getRangeAxis();
        values.setNumberFormatOverride(money(days.stream().map(DailyCost::total).toList(), true));
        values.setTickLabelFont(SMALL);
        values.setAutoRangeIncludesZero(true);
        return render(chart, width, height);
    }

    /**
     * GPU cost per node split by how the GPUs were used: held and used, held but idle (idle episodes,
     * below the idle utilisation threshold), and not held by any pod. The store has utilisation only for
     * idle hours, so this is utilisation told in money, the figure a team lead acts on.
     */
    static BufferedImage gpuUse(List<GpuNodeCost> nodes, List<String> labels, float width, float height) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (int i = 0; i < nodes.size(); i++) {
            GpuNodeCost node = nodes.get(i);
            List<String> lines = new java.util.ArrayList<>();
            for (String line : labels.get(i).split("\n")) {
                lines.add(label(line));
            }
            String label = unique(String.join("\n", lines), dataset);
            dataset.addValue(node.inUseCost(), "In use", label);
            dataset.addValue(node.heldIdleCost(), "Held but idle", label);
            dataset.addValue(node.unallocatedCost(), "Not held by any pod", label);
        }
        JFreeChart chart = ChartFactory.createStackedBarChart(null, null, null, dataset, PlotOrientation.HORIZONTAL,
                true, false, false);
        CategoryPlot plot = categoryPlot(chart);
        // Node on the first line, cluster and GPU model on the second (JFreeChart breaks labels at \n).
        plot.getDomainAxis().setMaximumCategoryLabelLines(2);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        barStyle(renderer, null);
        renderer.setSeriesPaint(0, PALETTE[5]);
        renderer.setSeriesPaint(1, PALETTE[2]);
        renderer.setSeriesPaint(2, IDLE);
        NumberAxis values = (NumberAxis) plot.getRangeAxis();
        values.setNumberFormatOverride(money(nodes.stream().map(GpuNodeCost::gpuCost).toList(), true));
        return render(chart, width, height);
    }

    private static CategoryPlot categoryPlot(JFreeChart chart) {
        plotStyle(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        // Horizontal bars put the value axis on top by default; below the bars is where readers look.
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlinesVisible(false);
        CategoryAxis categories = plot.getDomainAxis();
        categories.setTickLabelFont(LABEL);
        categories.setTickLabelPaint(INK);
        categories.setMaximumCategoryLabelWidthRatio(0.45f);
        categories.setCategoryMargin(0.25);
        categories.setAxisLineVisible(false);
        categories.setTickMarksVisible(false);
        plot.getRangeAxis().setTickLabelFont(SMALL);
        plot.getRangeAxis().setTickLabelPaint(INK);
        return plot;
    }

    private static void plotStyle(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(4, 4, 4, 8));
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(LABEL);
            legend.setFrame(BlockBorder.NONE);
            legend.setPosition(RectangleEdge.BOTTOM);
        }
    }

    private static void barStyle(BarRenderer renderer, NumberFormat valueLabels) {
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setMaximumBarWidth(0.08);
        if (valueLabels != null) {
            renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", valueLabels));
            renderer.setDefaultItemLabelsVisible(true);
            renderer.setDefaultItemLabelFont(SMALL);
            renderer.setDefaultItemLabelPaint(INK);
            renderer.setDefaultPositiveItemLabelPosition(
                    new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
            renderer.setItemLabelAnchorOffset(4);
        }
    }

    private static NumberFormat money(List<NamedCost> costs) {
        return money(costs.stream().map(NamedCost::cost).toList(), false);
    }

    /** Whole dollars once amounts reach $100 (cents are noise there), cents below. */
    private static NumberFormat money(List<BigDecimal> amounts, boolean axis) {
        BigDecimal largest = amounts.stream().map(BigDecimal::abs).max(BigDecimal::compareTo).orElse(BigDecimal.ZERO);
        boolean cents = largest.compareTo(BigDecimal.valueOf(axis ? 10 : 100)) < 0;
        return new DecimalFormat(cents ? "$#,##0.00" : "$#,##0", symbols());
    }

    private static DecimalFormatSymbols symbols() {
        return DecimalFormatSymbols.getInstance(Locale.ROOT);
    }

    private static String label(String name) {
        return name.codePointCount(0, name.length()) <= MAX_LABEL ? name
                : name.substring(0, name.offsetByCodePoints(0, MAX_LABEL - 1)) + "…";
    }

    /** Two names cut to the same prefix would merge into one bar; number the second one instead. */
    private static String unique(String label, DefaultCategoryDataset dataset) {
        String candidate = label;
        for (int n = 2; dataset.getColumnKeys().contains(candidate); n++) {
            candidate = label + " (" + n + ")";
        }
        return candidate;
    }

    private static Date date(LocalDate day) {
        return Date.from(day.atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    private static BufferedImage render(JFreeChart chart, float width, float height) {
        return chart.createBufferedImage(Math.round(width * SCALE), Math.round(height * SCALE), width, height, null);
    }
}
