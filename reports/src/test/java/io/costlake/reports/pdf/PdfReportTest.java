package io.costlake.reports.pdf;

import static io.costlake.reports.fixture.TwoDayCluster.CHINESE_NAMESPACE;
import static io.costlake.reports.fixture.TwoDayCluster.CLUSTER;
import static io.costlake.reports.fixture.TwoDayCluster.DAY_1;
import static io.costlake.reports.fixture.TwoDayCluster.DAY_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.db.schema.CostSchema;
import io.costlake.reports.ReportPeriod;
import io.costlake.reports.fixture.CostFixture;
import io.costlake.reports.fixture.MonthOfTwoClusters;
import io.costlake.reports.fixture.TestDatabase;
import io.costlake.reports.fixture.TwoDayCluster;

class PdfReportTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-03T06:00:00Z"), ZoneOffset.UTC);
    /** PNG previews of the reports stay here for a person to look at (see the pdftoppm test). */
    private static final Path PREVIEW = Path.of("target", "pdf-preview");

    private static CostSchema schema;
    private CostFixture fixture;

    @TempDir
    Path out;

    @BeforeAll
    static void migrate() {
        schema = TestDatabase.freshSchema("reports_pdf_test");
    }

    @BeforeEach
    void emptyTables() {
        TestDatabase.clear(schema);
        fixture = new CostFixture(schema);
    }

    @Test
    void pdfShowsTotalsAndKeyFiguresOfThePeriod() throws IOException {
        TwoDayCluster.write(fixture);

        Path pdf = report(ReportPeriod.of(DAY_1, DAY_2), PageSize.A4);

        assertThat(pdf.getFileName()).hasToString("costlake-report_2026-11-01_2026-11-02.pdf");
        String text = text(pdf);
        assertThat(text).contains("Kubernetes cost report", "1 Nov 2026 – 2 Nov 2026", "(2 days)",
                "all clusters · all cost pools", "generated 2026-11-03 06:00 UTC");
        // Total 390, allocated 315 (80.8%), idle 73 (18.7%), idle-GPU waste 15 + 10 + half of 8 = 29.
        assertThat(text).contains("Total cost", "$390.00", "Allocated", "80.8%", "$315.00 used by namespaces",
                "Idle", "18.7%", "$73.00 unallocated capacity", "GPU idle waste", "$29.00",
                "3 episodes · 12.0 idle GPU-hours",
                "Reclaimable per month", "$435.00", "Conservation audit", "balanced");
        assertThat(text).contains("3 namespaces · 1 cluster", "2 of 2 days have cost data", "3 workloads", "2 nodes");
        assertThat(lines(text)).contains("CPU $81.00 20.8%", "Memory $37.00 9.5%", "GPU $258.00 66.2%",
                "Storage $14.00 3.6%", "Total $390.00 100.0%");
    }

    @Test
    void pdfShowsTopNamespacesPoolsWorkloadsAndIdleGpusAsTableRows() throws IOException {
        TwoDayCluster.write(fixture);

        String text = text(report(ReportPeriod.of(DAY_1, DAY_2), PageSize.A4));

        assertThat(lines(text)).contains(
                "1 ml-training $237.00 60.8%",
                "2 __idle__ $73.00 18.7%",
                "3 web $63.00 16.2%",
                "4 " + CHINESE_NAMESPACE + " $15.00 3.8%",
                "5 __unmounted__ $2.00 0.5%",
                "ml $237.00 60.8%",
                "unassigned $75.00 19.2%",
                "1 ml-training trainer (Job) $200.00 51.3% 10.0% 50.0% 192.0",
                "2 web frontend (Deployment) $50.00 12.8% 50.0% 50.0% 0.0",
                "3 " + CHINESE_NAMESPACE + " etl-数据 (StatefulSet) $12.00 3.1% 80.0% 50.0% 0.0");
        // Costliest idle GPU first, with its recommendation; the October episode is not in the period.
        assertThat(text).contains("trainer-0", "Nov 1 02:00", "$15.00", "Scale trainer-0 to zero", "notebook-0",
                "Cull idle notebooks", "eval-0", "$8.00");
        assertThat(text).doesNotContain("old-0", "outside the period");
        assertThat(text.indexOf("trainer-0")).isLessThan(text.indexOf("notebook-0"));
        // Least efficient CPU first: trainer uses 5 of 50 requested core-hours per day.
        assertThat(lines(text)).contains("ml-training trainer (Job) 10.0% 100.0 10.0 $200.00 $18.00");
        assertThat(lines(text)).contains("2026-11-01 prod succeeded $184.00 $7.00 $191.00 0 0 ok",
                "2026-11-02 prod succeeded $192.00 $7.00 $199.00 0 1.5e-13 ok");
    }

    @Test
    void chineseNamespaceNamesAreSetInTheEmbeddedCjkFont() throws IOException {
        TwoDayCluster.write(fixture);

        Path pdf = report(ReportPeriod.of(DAY_1, DAY_2), PageSize.A4);

        assertThat(text(pdf)).contains(CHINESE_NAMESPACE, "etl-数据");
        try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
            List<String> embedded = new ArrayList<>();
            for (PDPage page : document.getPages()) {
                for (COSName name : page.getResources().getFontNames()) {
                    PDFont font = page.getResources().getFont(name);
                    if (font.isEmbedded()) {
                        embedded.add(font.getName());
                    }
                }
            }
            assertThat(embedded).anyMatch(name -> name.contains("DroidSansFallback"))
                    .anyMatch(name -> name.contains("DejaVuSans"));
        }
    }

    @Test
    void chartsAreImagesOnThePagesAndEveryPageIsNumbered() throws IOException {
        TwoDayCluster.write(fixture);

        Path pdf = report(ReportPeriod.of(DAY_1, DAY_2), PageSize.A4);

        try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
            int pages = document.getNumberOfPages();
            assertThat(pages).isBetween(3, 6);
            // Daily trend, top namespaces, cost pools, GPU use.
            assertThat(images(document)).hasSize(4).allSatisfy(image -> assertThat(image.getWidth()).isGreaterThan(1000));
            PDFTextStripper stripper = new PDFTextStripper();
            for (int page = 1; page <= pages; page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                assertThat(stripper.getText(document)).contains("Page " + page + " of " + pages);
            }
            assertThat(document.getPage(0).getMediaBox().getWidth()).isEqualTo(595.27563f, org.assertj.core.data.Offset.offset(0.01f));
        }
    }

    @Test
    void letterOptionLaysTheReportOutOnUsLetterPages() throws IOException {
        TwoDayCluster.write(fixture);

        Path pdf = report(ReportPeriod.of(DAY_1, DAY_2), PageSize.LETTER);

        try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
            for (PDPage page : document.getPages()) {
                assertThat(page.getMediaBox().getWidth()).isEqualTo(612f);
                assertThat(page.getMediaBox().getHeight()).isEqualTo(792f);
            }
        }
        assertThat(text(pdf)).contains("$390.00", "$435.00");
    }

    @Test
    void emptyPeriodRendersOneClearNoDataPage() throws IOException {
        TwoDayCluster.write(fixture);

        Path pdf = report(ReportPeriod.of(LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 31)), PageSize.A4);

        assertThat(pdf.getFileName()).hasToString("costlake-report_2026-12-01_2026-12-31.pdf");
        try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
            assertThat(document.getNumberOfPages()).isEqualTo(1);
            assertThat(images(document)).isEmpty();
        }
        assertThat(text(pdf)).contains("No cost data for this period", "1 Dec 2026 – 31 Dec 2026", "Page 1 of 1")
                .doesNotContain("$");
    }

    @Test
    void emptyPeriodStillListsTheRunsThatFailed() throws IOException {
        fixture.failedRun(CLUSTER, DAY_1, "Prometheus unreachable");

        String text = text(report(ReportPeriod.of(DAY_1, DAY_1), PageSize.A4));

        assertThat(text).contains("No cost data for this period", "Conservation audit");
        assertThat(lines(text)).contains("2026-11-01 prod failed – – – – – FAIL");
    }

    @Test
    void oneNamespaceOnOneDayRendersWithoutOtherBuckets() throws IOException {
        long run = fixture.run("edge", DAY_1, "12", "0", "12", 0);
        fixture.namespace(run, "edge", DAY_1, "only-one", "team-a").costs("8", "4", "0", "0").insert();

        Path pdf = report(new ReportPeriod(DAY_1, DAY_1, Optional.of("edge"), Optional.empty()), PageSize.A4);

        String text = text(pdf);
        assertThat(pdf.getFileName()).hasToString("costlake-report_2026-11-01.pdf");
        assertThat(text).contains("1 Nov 2026  (1 day)", "cluster edge", "$12.00", "100.0%", "No GPU nodes",
                "No idle GPU episodes", "No workload costs");
        assertThat(lines(text)).contains("1 only-one $12.00 100.0%");
        assertThat(text).doesNotContain("other (");
    }

    @Test
    void fiveThousandNamespacesShowTheTopTwelveAndOneOtherBucket() throws IOException {
        long run = fixture.run(CLUSTER, DAY_1, "12502500", "0", "12502500", 0);
        List<CostFixture.NamespaceCost> rows = new ArrayList<>();
        // Namespace ns-i costs $i: total 1 + ... + 5000 = 12,502,500; the top 12 are 4989..5000.
        for (int i = 1; i <= 5000; i++) {
            rows.add(fixture.namespace(run, CLUSTER, DAY_1, String.format("ns-%04d", i), "pool-" + (i % 20))
                    .costs(String.valueOf(i), "0", "0", "0"));
        }
        fixture.namespaces(rows);

        Path pdf = report(ReportPeriod.of(DAY_1, DAY_1), PageSize.A4);

        String text = text(pdf);
        assertThat(text).contains("$12,502,500.00", "5,000 namespaces");
        assertThat(lines(text)).contains("1 ns-5000 $5,000.00 0.0%", "12 ns-4989 $4,989.00 0.0%");
        // 12,502,500 - (4989 + ... + 5000) = 12,442,566
        assertThat(lines(text)).contains("other (4,988 namespaces) $12,442,566.00 99.5%");
        assertThat(text).doesNotContain("ns-4988 ");
        try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
            assertThat(document.getNumberOfPages()).isLessThanOrEqualTo(5);
        }
    }

    /** Renders the PDFs to PNG with poppler's pdftoppm, to look at; skipped where poppler-utils is missing. */
    @Test
    void pagesRenderToPngWithPdftoppm() throws Exception {
        assumeThat(new File("/usr/bin/pdftoppm")).exists();
        TwoDayCluster.write(fixture);
        Files.createDirectories(PREVIEW);
        Path a4 = new PdfReport(schema, CLOCK).write(ReportPeriod.of(DAY_1, DAY_2), PREVIEW, PageSize.A4);
        Path letter = new PdfReport(schema, CLOCK).write(ReportPeriod.of(DAY_1, DAY_2), out, PageSize.LETTER);
        Path empty = new PdfReport(schema, CLOCK).write(ReportPeriod.of(LocalDate.of(2026, 12, 1),
                LocalDate.of(2026, 12, 31)), PREVIEW, PageSize.A4);

        int a4Pages = pdftoppm(a4, PREVIEW.resolve("a4"));
        int letterPages = pdftoppm(letter, PREVIEW.resolve("letter"));
        int emptyPages = pdftoppm(empty, PREVIEW.resolve("empty"));

        try (PDDocument document = Loader.loadPDF(a4.toFile())) {
            assertThat(a4Pages).isEqualTo(document.getNumberOfPages());
        }
        assertThat(letterPages).isPositive();
        assertThat(emptyPages).isEqualTo(1);

        TestDatabase.clear(schema);
        MonthOfTwoClusters.write(fixture);
        Path month = new PdfReport(schema, CLOCK).write(ReportPeriod.of(MonthOfTwoClusters.FROM, MonthOfTwoClusters.TO),
                PREVIEW, PageSize.A4);
        assertThat(pdftoppm(month, PREVIEW.resolve("month"))).isBetween(4, 8);
        assertThat(text(month)).contains("数据平台", "推荐系统-实验", "FAIL", "other (");
    }

    private static int pdftoppm(Path pdf, Path prefix) throws Exception {
        Process process = new ProcessBuilder("pdftoppm", "-png", "-r", "80", pdf.toString(), prefix.toString())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
        String stem = prefix.getFileName().toString();
        try (var files = Files.list(prefix.getParent())) {
            return (int) files.filter(f -> f.getFileName().toString().matches(stem + "-\\d+\\.png")).count();
        }
    }

    private Path report(ReportPeriod period, PageSize size) {
        return new PdfReport(schema, CLOCK).write(period, out, size);
    }

    private static String text(Path pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
            return new PDFTextStripper().getText(document);
        }
    }

    /** Extracted lines with runs of spaces collapsed, so a table row reads "a b c". */
    private static List<String> lines(String text) {
        return text.lines().map(line -> line.trim().replaceAll("\\s+", " ")).toList();
    }

    private static List<PDImageXObject> images(PDDocument document) throws IOException {
        List<PDImageXObject> images = new ArrayList<>();
        for (PDPage page : document.getPages()) {
            PDResources resources = page.getResources();
            for (COSName name : resources.getXObjectNames()) {
                if (resources.getXObject(name) instanceof PDImageXObject image) {
                    images.add(image);
                }
            }
        }
        return images;
    }
}
