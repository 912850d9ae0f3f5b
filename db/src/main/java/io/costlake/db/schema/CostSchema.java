package io.costlake.db.schema;

import static java.util.Objects.requireNonNull;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The PostgreSQL schema that holds the cost tables: migrated by Flyway, addressed by jOOQ. The jOOQ code
 * is generated schema-less from the migrations, and the configured schema name is mapped in at render
 * time, so one build serves any schema name.
 */
public final class CostSchema {
    public static final String DEFAULT_NAME = "costlake";

    private final DataSource dataSource;
    private final String name;

    public CostSchema(DataSource dataSource, String name) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.name = requireNonNull(name, "name is null");
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("schema name must be a lower-case SQL identifier, got '" + name + "'");
        }
    }

    public String name() {
        return name;
    }

    /** Brings the schema to the newest migration; creates it when missing. */
    public void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(name)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public DSLContext dsl() {
        Settings settings = new Settings().withRenderMapping(new RenderMapping()
                .withSchemata(new MappedSchema().withInput("").withOutput(name)));
        return DSL.using(dataSource, SQLDialect.POSTGRES, settings);
    }
}
