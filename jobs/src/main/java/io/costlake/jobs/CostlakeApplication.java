package io.costlake.jobs;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.apache.spark.sql.SparkSession;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

import io.costlake.costmodel.CostModelConfig;
import io.costlake.costmodel.idlegpu.IdleGpuConfig;
import io.costlake.db.schema.CostSchema;
import io.costlake.db.store.CostStore;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.pricing.PriceBook;
import io.costlake.ingest.pricing.PriceBookReader;
import io.costlake.jobs.cluster.SparkDeployment;
import io.costlake.jobs.config.ConfigurationException;
import io.costlake.jobs.config.CostPoolSettings;
import io.costlake.jobs.config.CostlakeDatabase;
import io.costlake.jobs.config.CostlakeProperties;
import io.costlake.jobs.config.LogFormat;
import io.costlake.reports.csv.CsvReports;
import io.costlake.reports.pdf.PdfReport;

/**
 * The Spring side of costlake: configuration, database, Spark session and the nightly Spring Batch job.
 * Started by the command line ({@link CostlakeCommand}) for the commands that need it.
 */
@SpringBootApplication
@EnableConfigurationProperties(CostlakeProperties.class)
public class CostlakeApplication {

    @Bean(destroyMethod = "close")
    CostlakeDatabase costlakeDatabase(CostlakeProperties properties) {
        return CostlakeDatabase.open(properties.getDb());
    }

    @Bean
    DataSource dataSource(CostlakeDatabase database) {
        return database.dataSource();
    }

    @Bean
    CostSchema costSchema(DataSource dataSource, CostlakeProperties properties) {
        CostSchema schema = new CostSchema(dataSource, properties.getDb().getSchema());
        schema.migrate();
        return schema;
    }

    @Bean
    CostStore costStore(CostSchema schema) {
        return new CostStore(schema);
    }

    @Bean
    CsvReports csvReports(CostSchema schema) {
        return new CsvReports(schema);
    }

    @Bean
    PdfReport pdfReport(CostSchema schema) {
        return new PdfReport(schema);
    }

    /**
     * Created on first use: commands that only read PostgreSQL never start Spark. Never stopped by the
     * context, so a test JVM keeps its one session; the command line stops it on exit.
     */
    @Bean(destroyMethod = "")
    @Lazy
    SparkSession sparkSession(CostlakeProperties properties) {
        return SparkDeployment.session(properties.getSpark().getMaster(), properties.getSpark().getConf());
    }

    @Bean
    @Lazy
    Lake lake(SparkSession spark, CostlakeProperties properties) {
        String root = properties.getLake();
        if (!root.contains("://")) {
            root = Path.of(root).toAbsolutePath().normalize().toString();
        }
        return new Lake(spark, root);
    }

    @Bean
    PriceBook priceBook(CostlakeProperties properties) {
        String file = properties.getPrices();
        return file == null || file.isBlank() ? PriceBook.openCostDefaults() : new PriceBookReader().read(Path.of(file));
    }

    @Bean
    IdleGpuConfig idleGpuConfig(CostlakeProperties properties) {
        CostlakeProperties.IdleGpu idle = properties.getIdleGpu();
        int step = properties.getModel().getStepSeconds();
        // A silence is only a gap when it is longer than the sample interval; 15 minutes unless samples are sparser.
        int maxGap = idle.getMaxGapSeconds() != null ? idle.getMaxGapSeconds() : Math.min(3600, Math.max(900, 2 * step));
        try {
            return IdleGpuConfig.defaults()
                    .withStepSeconds(step)
                    .withThresholds(idle.getIdleUtilPercent(), idle.getMinIdleHours())
                    .withMaxGapSeconds(maxGap);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("costlake.idle-gpu: " + e.getMessage(), e);
        }
    }

    /** Chosen before the context starts ({@link LogFormat.EnvironmentSetup}); a wrong value fails here. */
    @Bean
    LogFormat logFormat(CostlakeProperties properties) {
        return LogFormat.of(properties.getLogFormat());
    }

    @Bean
    CostModelConfig costModelConfig(CostlakeProperties properties, Environment environment) {
        CostPoolSettings.verify(environment);
        CostlakeProperties.Model model = properties.getModel();
        String weighting = model.getSharedWeighting();
        if (!weighting.equals("cost") && !weighting.equals("even")) {
            throw new ConfigurationException("costlake.model.shared-weighting must be 'cost' or 'even', got '"
                    + weighting + "'");
        }
        try {
            return new CostModelConfig(model.getStepSeconds(), model.isShareIdle(), model.getSharedNamespaces(),
                    weighting.equals("cost"), model.getCostPoolLabel(), model.getCostPools(),
                    model.getAggregateLabels());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("costlake.model: " + e.getMessage(), e);
        }
    }
}
