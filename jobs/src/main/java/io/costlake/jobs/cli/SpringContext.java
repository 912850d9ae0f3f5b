package io.costlake.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.costlake.jobs.CostlakeApplication;
import io.costlake.jobs.config.ConfigurationException;

/**
 * Starts the Spring side for a command. Flags become {@code --costlake.*} command-line properties, which
 * Spring Boot ranks above environment variables and {@code costlake.yaml}: flags &gt; env &gt; file.
 */
final class SpringContext {
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
        return new SpringApplicationBuilder(CostlakeApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run(args.toArray(String[]::new));
    }
}
