package io.costlake.jobs.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.Resource;

import io.costlake.ingest.costpools.CostPoolNames;

/**
 * Checks {@code costlake.model.cost-pools} (namespace → pool) and {@code costlake.model.cost-pool-label} as the
 * user wrote them, and says for every mistake where it is (file and line, environment variable or flag), which
 * key and what is wrong. The keys are read from the property sources rather than from the bound map because
 * binding quietly drops characters a map key may not have ({@code "Team A"} binds as {@code TeamA}).
 */
public final class CostPoolSettings {
    static final ConfigurationPropertyName POOLS = ConfigurationPropertyName.of("costlake.model.cost-pools");
    static final ConfigurationPropertyName LABEL = ConfigurationPropertyName.of("costlake.model.cost-pool-label");

    private CostPoolSettings() {}

    /** Fails with every problem, one per line, as a {@link ConfigurationException}. */
    public static void verify(Environment environment) {
        List<String> problems = new ArrayList<>();
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
        highest(sources, LABEL).ifPresent(label -> CostPoolNames.labelKeyProblem(String.valueOf(label.getValue()))
                .ifPresent(problem -> problems.add(where(label) + ": " + LABEL + ": " + problem)));
        mappings(sources).forEach((namespace, mapping) -> {
            String key = POOLS + ".\"" + namespace + "\"";
            CostPoolNames.namespaceProblem(namespace)
                    .ifPresent(problem -> problems.add(where(mapping) + ": " + key + ": " + problem));
            Object pool = mapping.getValue();
            CostPoolNames.poolProblem(pool == null ? null : pool.toString())
                    .ifPresent(problem -> problems.add(where(mapping) + ": " + key + ": " + problem));
        });
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("\n", problems));
        }
    }

    /** The value that wins: the first source (in precedence order) that has the property. */
    private static Optional<ConfigurationProperty> highest(Iterable<ConfigurationPropertySource> sources,
            ConfigurationPropertyName name) {
        for (ConfigurationPropertySource source : sources) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null) {
                return Optional.of(property);
            }
        }
        return Optional.empty();
    }

    /** Every mapping entry by the namespace as written; an entry in several sources counts where it wins. */
    private static Map<String, ConfigurationProperty> mappings(Iterable<ConfigurationPropertySource> sources) {
        Set<ConfigurationPropertyName> seen = new HashSet<>();
        Map<String, ConfigurationProperty> mappings = new LinkedHashMap<>();
        for (ConfigurationPropertySource source : sources) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            iterable.stream().filter(POOLS::isAncestorOf).forEach(name -> {
                ConfigurationProperty property = source.getConfigurationProperty(name);
                if (property != null && seen.add(name)) {
                    mappings.put(namespaceAsWritten(name, property), property);
                }
            });
        }
        return mappings;
    }

    /** The key under cost-pools as the source spells it ({@code [a.b]} brackets removed), else as Spring read it. */
    private static String namespaceAsWritten(ConfigurationPropertyName name, ConfigurationProperty property) {
        String prefix = POOLS + ".";
        if (property.getOrigin() instanceof PropertySourceOrigin origin && origin.getPropertyName().startsWith(prefix)) {
            String key = origin.getPropertyName().substring(prefix.length());
            return key.startsWith("[") && key.endsWith("]") ? key.substring(1, key.length() - 1) : key;
        }
        StringBuilder key = new StringBuilder();
        for (int i = POOLS.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
            key.append(key.isEmpty() ? "" : ".").append(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
        }
        return key.toString();
    }

    /** Where a setting came from: {@code file:line}, the environment variable, or the command line. */
    static String where(ConfigurationProperty property) {
        Origin origin = property.getOrigin();
        PropertySourceOrigin wrapper = origin instanceof PropertySourceOrigin found ? found : null;
        Origin inner = wrapper != null && wrapper.getOrigin() != null ? wrapper.getOrigin() : origin;
        if (inner instanceof TextResourceOrigin text && text.getResource() != null) {
            return fileName(text.getResource())
                    + (text.getLocation() == null ? "" : ":" + (text.getLocation().getLine() + 1));
        }
        if (inner instanceof SystemEnvironmentOrigin environment) {
            return "environment variable " + environment.getProperty();
        }
        if (wrapper != null && wrapper.getPropertySource() instanceof SystemEnvironmentPropertySource) {
            return "environment variable " + wrapper.getPropertyName();
        }
        if (wrapper != null && wrapper.getPropertySource() instanceof CommandLinePropertySource) {
            return "command line --" + wrapper.getPropertyName();
        }
        return origin == null ? "configuration" : origin.toString();
    }

    private static String fileName(Resource resource) {
        if (resource.isFile()) {
            try {
                return resource.getFile().getPath();
            } catch (IOException e) {
                // Not a file after all: fall back to the description.
            }
        }
        return resource.getDescription();
    }
}
