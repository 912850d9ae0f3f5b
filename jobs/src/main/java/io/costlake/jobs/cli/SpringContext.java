package io.costlake.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.costlake.jobs.CostlakeApplication;
import io.costlake.jobs.config.ConfigurationException;
import io.costlake.jobs.config.EffectiveSettings;

/**
 * Starts the Spring side for a command. Flags become {@code --costlake.*} command-line properties, which
 * Spring Boot ranks above environment variables and {@code costlake.yaml}: flags &gt; env &gt; file.
 */
final class SpringContext {
    private static final Logger LOG = LoggerFactory.getLogger(SpringContext.class);
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Path configFile;

    SpringContext set(String property, Object value) {
        if (value != null && !value.toString().isBlank()) {
            properties.put(property, value.toString());
        }
        return this;
    }

    SpringContext configFile(Path file) {
        this.configFile = file;
        return this;
    }

    ConfigurableApplicationContext start() {
        List<String> args = new ArrayList<>();
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new ConfigurationException("configuration file not found: " + configFile);
            }
            args.add("--spring.config.additional-location=file:" + configFile.toAbsolutePath());
        }
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CostlakeApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run(args.toArray(String[]::new));
        // A misspelt COSTLAKE_* variable would otherwise be ignored without a word (e.g. in a CronJob's env).
        for (EffectiveSettings.Setting unknown : new EffectiveSettings(context.getEnvironment()).unknown()) {
            LOG.warn("{} is not a costlake setting and is ignored (from {}); `costlake config` lists the settings",
                    unknown.name(), unknown.origin());
        }
        return context;
    }
}
