package io.costlake.jobs.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * What {@code costlake config} shows: every setting as it was bound (so a misspelt environment variable cannot
 * look applied), where its value came from, and the {@code costlake.*} names that bind to nothing.
 */
public final class EffectiveSettings {
    /** The command line of the costlake launcher script, not a setting. */
    private static final ConfigurationPropertyName LAUNCHER_VARIABLE = ConfigurationPropertyName.of("costlake.rebuild");

    private final ConfigurableEnvironment environment;

    /** One setting: {@code origin} is {@code default}, {@code flag}, {@code env NAME} or {@code FILE:LINE}. */
    public record Setting(String name, String value, String origin) {
        public Setting {
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
            requireNonNull(origin, "origin is null");
        }
    }

    public EffectiveSettings(ConfigurableEnvironment environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    /** The bound values of {@code properties}, by property name ({@code costlake.db.url}), in name order. */
    public List<Setting> bound(CostlakeProperties properties) {
        ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);
        List<Setting> settings = new ArrayList<>();
        flatten("costlake", mapper.valueToTree(properties), settings);
        settings.sort(Comparator.comparing(Setting::name));
        return settings;
    }

    /** {@code costlake.*} names in any source that no setting takes, e.g. {@code COSTLAKE_PROMETHEUS_TOKEN}. */
    public List<Setting> unknown() {
        BindHandler handler = new NoUnboundElementsBindHandler(BindHandler.DEFAULT);
        try {
            Binder.get(environment).bind("costlake", Bindable.ofInstance(new CostlakeProperties()), handler);
            return List.of();
        } catch (BindException e) {
            if (!(e.getCause() instanceof UnboundConfigurationPropertiesException unbound)) {
                throw e;
            }
            // Spring reads COSTLAKE_MODEL_STEP_SECONDS as model.step.seconds when listing the environment, but
            // binds it to model.step-seconds too (dashes as underscores, the legacy form): not unknown.
            Set<String> legacyNames = bound(new CostlakeProperties()).stream()
                    .map(setting -> setting.name().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'))
                    .collect(Collectors.toSet());
            return unbound.getUnboundProperties().stream()
                    .filter(property -> !property.getName().equals(LAUNCHER_VARIABLE))
                    .filter(property -> environmentVariable(property)
                            .filter(variable -> legacyNames.contains(variable.replaceAll("_\\d+$", ""))).isEmpty())
                    .map(property -> new Setting(property.getName().toString(), String.valueOf(property.getValue()),
                            describe(property)))
                    .sorted(Comparator.comparing(Setting::name)).toList();
        }
    }

    private void flatten(String name, JsonNode node, List<Setting> settings) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(name + "." + field.getKey(), field.getValue(), settings);
            }
        } else if (node.isArray()) {
            List<String> elements = StreamSupport.stream(node.spliterator(), false).map(JsonNode::asText).toList();
            settings.add(new Setting(name, String.join(",", elements), originOf(name)));
        } else {
            settings.add(new Setting(name, node.isNull() ? "" : node.asText(), originOf(name)));
        }
    }

    /** The first source in Spring's order (flags, environment, files) that has the name or its list elements. */
    private String originOf(String name) {
        ConfigurationPropertyName property = ConfigurationPropertyName.of(name);
        ConfigurationPropertyName firstElement = property.append("[0]");
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(property);
            if (found == null) {
                found = source.getConfigurationProperty(firstElement);
            }
            if (found != null) {
                return describe(found);
            }
        }
        return "default";
    }

    /** The origin Spring wraps into a {@link PropertySourceOrigin}: the file position or the variable. */
    private static Origin unwrapped(Origin origin) {
        return origin instanceof PropertySourceOrigin wrapper && wrapper.getOrigin() != null ? wrapper.getOrigin()
                : origin;
    }

    private static Optional<String> environmentVariable(ConfigurationProperty property) {
        Origin origin = unwrapped(property.getOrigin());
        return origin instanceof SystemEnvironmentOrigin env ? Optional.of(env.getProperty()) : Optional.empty();
    }

    /** Where a value came from: {@code flag}, {@code env NAME}, {@code FILE:LINE} or Spring's description. */
    public static String describe(ConfigurationProperty property) {
        Object underlying = property.getSource() != null ? property.getSource().getUnderlyingSource() : null;
        if (underlying instanceof PropertySource<?> source && source.getName().equals("commandLineArgs")) {
            return "flag";
        }
        Optional<String> variable = environmentVariable(property);
        if (variable.isPresent()) {
            return "env " + variable.get();
        }
        Origin origin = unwrapped(property.getOrigin());
        if (origin instanceof TextResourceOrigin text && text.getResource() != null) {
            String file = text.getResource().getDescription();
            try {
                file = text.getResource().getFile().toString();
            } catch (java.io.IOException | UnsupportedOperationException e) {
                // a classpath resource (application.yaml in the jar): its description says enough
            }
            return text.getLocation() != null ? file + ":" + (text.getLocation().getLine() + 1) : file;
        }
        return origin != null ? origin.toString() : "default";
    }
}
