package io.costlake.jobs.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * How console log lines look: {@code text} (a time, the level and the message), or {@code json}: one JSON object
 * per line in Spring Boot's structured logging format {@code logstash} ({@code @timestamp}, {@code level},
 * {@code message}, {@code logger_name}, {@code thread_name}, {@code stack_trace}), for log collectors.
 */
public enum LogFormat {
    TEXT("text", ""),
    JSON("json", "logstash");

    /** Spring Boot's switch for structured console logging; empty means the text pattern. */
    static final String STRUCTURED_CONSOLE = "logging.structured.format.console";
    static final String PROPERTY = "costlake.log-format";

    private final String configValue;
    private final String structuredFormat;

    LogFormat(String configValue, String structuredFormat) {
        this.configValue = configValue;
        this.structuredFormat = structuredFormat;
    }

    public String configValue() {
        return configValue;
    }

    public static LogFormat of(String value) {
        String normalized = value.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(format -> format.configValue.equals(normalized)).findFirst()
                .orElseThrow(() -> new ConfigurationException(PROPERTY + " must be 'text' or 'json', got '" + value
                        + "'"));
    }

    /**
     * Reads {@code costlake.log-format} (costlake.yaml, COSTLAKE_LOG_FORMAT or --log-format) before Spring Boot
     * initialises logging, which it does before any bean exists, and turns on Boot's structured console logging
     * for {@code json}. Added last, so an explicit {@code logging.structured.format.console} (e.g. {@code ecs})
     * still wins. A wrong value is left to the {@link LogFormat} bean to report, once logging is set up, as a
     * configuration error. Registered in {@code META-INF/spring.factories}.
     */
    public static final class EnvironmentSetup implements EnvironmentPostProcessor, Ordered {
        @Override
        public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
            String value = Binder.get(environment).bind(PROPERTY, String.class).orElse(TEXT.configValue);
            if (value.strip().equalsIgnoreCase(JSON.configValue)) {
                environment.getPropertySources().addLast(new MapPropertySource(PROPERTY,
                        Map.of(STRUCTURED_CONSOLE, JSON.structuredFormat)));
            }
        }

        /** After the config files are loaded (ConfigDataEnvironmentPostProcessor runs first). */
        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
