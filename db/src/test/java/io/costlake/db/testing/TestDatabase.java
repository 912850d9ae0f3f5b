package io.costlake.db.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.postgresql.ds.PGSimpleDataSource;

import io.costlake.db.schema.CostSchema;

/**
 * The real PostgreSQL of the test machine (127.0.0.1:5432, trust auth): database {@code costlake_test},
 * created if missing, and a fresh schema per test class so tests never see each other's rows.
 */
public final class TestDatabase {
    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    public static final String DATABASE = "costlake_test";
    public static final String URL = SERVER + DATABASE;

    private TestDatabase() {}

    /** A new, empty schema name (not yet created) in the test database. */
    public static String freshSchema(String prefix) {
        ensureDatabase();
        return (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    }

    /** A fresh schema, migrated to the newest version. */
    public static CostSchema migratedSchema(String prefix) {
        String name = freshSchema(prefix);
        CostSchema schema = new CostSchema(dataSource(name), name);
        schema.migrate();
        return schema;
    }

    public static PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(URL);
        dataSource.setUser("postgres");
        return dataSource;
    }

    /** Connections whose search_path is {@code schema}, so plain SQL (views, docs/queries.sql) finds its tables. */
    public static PGSimpleDataSource dataSource(String schema) {
        PGSimpleDataSource dataSource = dataSource();
        dataSource.setCurrentSchema(schema);
        return dataSource;
    }

    private static synchronized void ensureDatabase() {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select 1 from pg_database where datname = '" + DATABASE + "'")) {
            if (!rows.next()) {
                statement.execute("create database " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 is needed for this test: " + e.getMessage(), e);
        }
    }
}
