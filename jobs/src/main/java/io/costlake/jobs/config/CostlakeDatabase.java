package io.costlake.jobs.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Chooses the database: the configured JDBC URL; else embedded PostgreSQL (real binaries from Maven
 * Central) with its data under {@code ~/.costlake/postgres}; else, as root, where PostgreSQL refuses to
 * start, the local server at 127.0.0.1:5432 with database {@code costlake}, created if missing. Migrates
 * the cost schema and Spring Batch's own schema before anything uses them.
 */
public final class CostlakeDatabase implements AutoCloseable {
    public static final String BATCH_SCHEMA = "costlake_batch";
    private static final Logger LOG = LoggerFactory.getLogger(CostlakeDatabase.class);
    private static final String LOCAL_SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String LOCAL_DATABASE = "costlake";

    private final HikariDataSource dataSource;
    private final EmbeddedPostgres embedded;
    private final String description;

    private CostlakeDatabase(HikariDataSource dataSource, EmbeddedPostgres embedded, String description) {
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.description = description;
    }

    public static CostlakeDatabase open(CostlakeProperties.Db db) {
        String url = db.getUrl();
        EmbeddedPostgres embedded = null;
        String description;
        if (url == null || url.isBlank()) {
            if ("root".equals(System.getProperty("user.name"))) {
                ensureLocalDatabase(db.getUser(), db.getPassword());
                url = LOCAL_SERVER + LOCAL_DATABASE;
                description = "local PostgreSQL at 127.0.0.1:5432, database costlake";
                LOG.info("No database configured and running as root, where PostgreSQL refuses to start embedded: "
                        + "using the local server at 127.0.0.1:5432 (database {}).", LOCAL_DATABASE);
            } else {
                embedded = startEmbedded();
                url = embedded.getJdbcUrl("postgres", "postgres");
                description = "embedded PostgreSQL (" + url + ")";
                LOG.info("No database configured: started embedded PostgreSQL with data in ~/.costlake/postgres.");
            }
        } else {
            description = url.replaceAll("password=[^&]*", "password=***");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(db.getUser());
        config.setPassword(db.getPassword());
        config.setMaximumPoolSize(4);
        config.setPoolName("costlake");
        // Multi-row INSERTs for the bulk loads of a day's results.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new ConfigurationException("cannot connect to the database " + description + ": " + rootMessage(e), e);
        }
        Flyway.configure().dataSource(dataSource).schemas(BATCH_SCHEMA).createSchemas(true)
                .locations("classpath:db/batch").table("flyway_batch_schema_history").load().migrate();
        return new CostlakeDatabase(dataSource, embedded, description);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        dataSource.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warn("cannot stop embedded PostgreSQL: {}", e.getMessage());
            }
        }
    }

    private static void ensureLocalDatabase(String user, String password) {
        try (Connection connection = DriverManager.getConnection(LOCAL_SERVER + "postgres", user, password);
                PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, LOCAL_DATABASE);
            try (ResultSet rows = exists.executeQuery()) {
                if (!rows.next()) {
                    try (Statement create = connection.createStatement()) {
                        create.execute("create database " + LOCAL_DATABASE);
                    }
                }
            }
        } catch (SQLException e) {
            throw new ConfigurationException("no database configured, running as root, and the local PostgreSQL at "
                    + "127.0.0.1:5432 is not usable (" + e.getMessage() + "); start it or set --db / COSTLAKE_DB_URL", e);
        }
    }

    private static EmbeddedPostgres startEmbedded() {
        try {
            Path data = Path.of(System.getProperty("user.home"), ".costlake", "postgres");
            Files.createDirectories(data.getParent());
            return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
        } catch (IOException e) {
            throw new ConfigurationException("cannot start embedded PostgreSQL: " + e.getMessage()
                    + "; set --db / COSTLAKE_DB_URL to use a server", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
