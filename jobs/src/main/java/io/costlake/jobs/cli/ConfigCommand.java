package io.costlake.jobs.cli;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

import io.costlake.jobs.config.CostlakeDatabase;
import io.costlake.jobs.config.CostlakeProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the effective configuration (costlake.yaml < COSTLAKE_* < flags), secrets masked.")
final class ConfigCommand implements Callable<Integer> {
    private static final List<String> SECRET_WORDS = List.of("password", "secret", "token", "credential");

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        try (ConfigurableApplicationContext context = common.context().start()) {
            ConfigurableEnvironment environment = context.getEnvironment();
            Map<String, String> effective = new TreeMap<>();
            for (PropertySource<?> source : environment.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> enumerable) {
                    for (String name : enumerable.getPropertyNames()) {
                        String key = name.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
                        if (key.startsWith("costlake.")) {
                            String canonical = canonical(name);
                            effective.putIfAbsent(canonical, mask(canonical, environment.getProperty(canonical)));
                        }
                    }
                }
            }
            CostlakeProperties properties = context.getBean(CostlakeProperties.class);
            effective.putIfAbsent("costlake.cluster", properties.getCluster());
            effective.putIfAbsent("costlake.lake", properties.getLake());
            effective.putIfAbsent("costlake.out", properties.getOut());
            effective.putIfAbsent("costlake.db.schema", properties.getDb().getSchema());
            effective.putIfAbsent("costlake.spark.master", properties.getSpark().getMaster());
            effective.putIfAbsent("costlake.model.step-seconds", Integer.toString(properties.getModel().getStepSeconds()));
            effective.putIfAbsent("costlake.retention.detail-days",
                    Integer.toString(properties.getRetention().getDetailDays()));
            effective.forEach((key, value) -> System.out.println(key + " = " + value));
            System.out.println("database in use: " + context.getBean(CostlakeDatabase.class).description());
            return ExitCode.OK.code();
        }
    }

    /** {@code COSTLAKE_DB_URL} and {@code costlake.db.url} name the same setting. */
    private static String canonical(String name) {
        if (name.equals(name.toUpperCase(java.util.Locale.ROOT))) {
            return name.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
        }
        return name;
    }

    static String mask(String key, String value) {
        if (value == null) {
            return "";
        }
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        if (SECRET_WORDS.stream().anyMatch(lower::contains)) {
            return value.isEmpty() ? "" : "***";
        }
        return value.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^:/@]+):([^@/]+)@", "//$1:***@");
    }
}
