package io.costlake.jobs.cli;

import static io.costlake.db.generated.Tables.NAMESPACE_COST_DAILY;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;

import org.jooq.DSLContext;
import org.jooq.Record3;
import org.jooq.impl.DSL;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.context.ConfigurableApplicationContext;

import io.costlake.db.schema.CostSchema;
import io.costlake.ingest.synthetic.SyntheticClusterGenerator;
import io.costlake.ingest.synthetic.SyntheticClusterSpec;
import io.costlake.jobs.config.CostlakeDatabase;
import io.costlake.jobs.nightly.NightlyRunner;
import io.costlake.reports.ReportPeriod;
import io.costlake.reports.csv.CsvReports;
import io.costlake.reports.pdf.PdfReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate a sample cluster, run three nights, write the reports and print a summary.")
final class DemoCommand implements Callable<Integer> {
    private static final int DAYS = 3;

    @Option(names = "--dir", defaultValue = "costlake-demo", paramLabel = "DIR",
            description = "where input, lake and reports go (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "PostgreSQL JDBC URL; default: embedded")
    String db;

    @Option(names = "--db-schema", paramLabel = "NAME", description = "schema of the cost tables (default: costlake)")
    String dbSchema;

    @Override
    public Integer call() throws Exception {
        Path root = dir.toAbsolutePath().normalize();
        LocalDate first = LocalDate.now(ZoneOffset.UTC).minusDays(DAYS);
        LocalDate last = first.plusDays(DAYS - 1L);
        System.out.printf("costlake demo: generating a sample cluster (5 nodes, 60 pods, 8 GPUs) for %s to %s%n", first,
                last);
        SyntheticClusterGenerator.Result input = new SyntheticClusterGenerator().generate(
                new SyntheticClusterSpec("demo", 5, 60, 8, DAYS, first, 60, 42L), root.resolve("input"));
        Path reports = root.resolve("reports");
        SpringContext spring = new SpringContext()
                .set("costlake.db.url", db)
                .set("costlake.db.schema", dbSchema)
                .set("costlake.cluster", "demo")
                .set("costlake.lake", root.resolve("lake"))
                .set("costlake.out", reports)
                .set("costlake.prices", input.priceBook());
        try (ConfigurableApplicationContext context = spring.start()) {
            NightlyRunner runner = context.getBean(NightlyRunner.class);
            String source = "metrics:" + input.metricsDir();
            for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                System.out.printf("night of %s ...%n", day);
                JobExecution execution = runner.runFresh(day, "demo", source);
                if (execution.getStatus() != BatchStatus.COMPLETED) {
                    Throwable failure = execution.getAllFailureExceptions().stream().findFirst()
                            .orElse(new IllegalStateException("run ended " + execution.getStatus()));
                    System.err.println("costlake demo failed on " + day + ": " + ExitCode.messageOf(failure));
                    return ExitCode.of(failure).code();
                }
            }
            List<Path> files = new java.util.ArrayList<>(context.getBean(CsvReports.class)
                    .write(ReportPeriod.of(first, last), reports.resolve("period")));
            files.add(context.getBean(PdfReport.class).write(ReportPeriod.of(first, last), reports.resolve("period")));
            printSummary(context.getBean(CostSchema.class).dsl(), first, last);
            System.out.println();
            System.out.println("Database: " + context.getBean(CostlakeDatabase.class).description() + ", schema "
                    + context.getBean(CostSchema.class).name());
            System.out.println("Lake:     " + root.resolve("lake"));
            System.out.println("Reports:  " + reports + " (daily/, month-to-date/, period/)");
            files.forEach(file -> System.out.println("          " + file));
            return ExitCode.OK.code();
        }
    }

    private static void printSummary(DSLContext dsl, LocalDate first, LocalDate last) {
        var total = DSL.sum(NAMESPACE_COST_DAILY.TOTAL_COST).as("total");
        List<Record3<String, String, BigDecimal>> rows = dsl
                .select(NAMESPACE_COST_DAILY.NAMESPACE, NAMESPACE_COST_DAILY.COST_POOL, total)
                .from(NAMESPACE_COST_DAILY)
                .where(NAMESPACE_COST_DAILY.DAY.between(first, last))
                .groupBy(NAMESPACE_COST_DAILY.NAMESPACE, NAMESPACE_COST_DAILY.COST_POOL)
                .orderBy(total.desc())
                .fetch();
        BigDecimal sum = rows.stream().map(Record3::value3).reduce(BigDecimal.ZERO, BigDecimal::add);
        System.out.println();
        System.out.printf("Cost by namespace, %s to %s (USD)%n", first, last);
        System.out.printf("%-20s %-16s %12s %7s%n", "namespace", "cost pool", "cost", "share");
        for (Record3<String, String, BigDecimal> row : rows) {
            double share = sum.signum() == 0 ? 0 : row.value3().doubleValue() / sum.doubleValue() * 100;
            System.out.printf("%-20s %-16s %12.2f %6.1f%%%n", row.value1(), row.value2(), row.value3(), share);
        }
        System.out.printf("%-20s %-16s %12.2f %6.1f%%%n", "total", "", sum, 100.0);
    }
}
