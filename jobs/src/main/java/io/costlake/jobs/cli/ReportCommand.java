package io.costlake.jobs.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.springframework.context.ConfigurableApplicationContext;

import io.costlake.jobs.config.ConfigurationException;
import io.costlake.jobs.config.CostlakeProperties;
import io.costlake.reports.ReportPeriod;
import io.costlake.reports.csv.CsvReports;
import io.costlake.reports.pdf.PageSize;
import io.costlake.reports.pdf.PdfReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write CSV and PDF reports for a period from the PostgreSQL store.")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "D", description = "first day (inclusive)")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "D", description = "last day (inclusive)")
    LocalDate to;

    @Option(names = "--format", split = ",", defaultValue = "csv", paramLabel = "csv,pdf",
            description = "formats (default: ${DEFAULT-VALUE})")
    List<String> formats;

    @Option(names = "--pool", paramLabel = "POOL", description = "only this cost pool")
    String pool;

    @Option(names = "--page-size", defaultValue = "A4", paramLabel = "A4|LETTER",
            description = "PDF page size (default: ${DEFAULT-VALUE})")
    String pageSize;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        for (String format : formats) {
            if (!format.equals("csv") && !format.equals("pdf")) {
                throw new ConfigurationException("unsupported report format '" + format + "' (supported: csv, pdf)");
            }
        }
        PageSize size;
        try {
            size = PageSize.parse(pageSize);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--page-size: " + e.getMessage(), e);
        }
        if (to.isBefore(from)) {
            throw new ConfigurationException("--to " + to + " is before --from " + from);
        }
        try (ConfigurableApplicationContext context = common.context().start()) {
            CostlakeProperties properties = context.getBean(CostlakeProperties.class);
            ReportPeriod period = new ReportPeriod(from, to, Optional.ofNullable(common.cluster),
                    Optional.ofNullable(pool));
            Path out = Path.of(properties.getOut());
            List<Path> files = new ArrayList<>();
            if (formats.contains("csv")) {
                files.addAll(context.getBean(CsvReports.class).write(period, out));
            }
            if (formats.contains("pdf")) {
                files.add(context.getBean(PdfReport.class).write(period, out, size));
            }
            files.forEach(file -> System.out.println(file.toAbsolutePath()));
            return ExitCode.OK.code();
        }
    }
}
