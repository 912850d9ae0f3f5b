package io.costlake.jobs.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.springframework.context.ConfigurableApplicationContext;

import io.costlake.jobs.config.CostlakeDatabase;
import io.costlake.jobs.config.CostlakeProperties;
import io.costlake.jobs.config.EffectiveSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print the effective configuration (costlake.yaml < COSTLAKE_* < flags), secrets masked,",
                "each value with where it came from, and COSTLAKE_* / costlake.* names that are not settings."})
final class ConfigCommand implements Callable<Integer> {
    private static final List<String> SECRET_WORDS = List.of("password", "secret", "token", "credential", "basic-auth");

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        try (ConfigurableApplicationContext context = common.context().start()) {
            EffectiveSettings settings = new EffectiveSettings(context.getEnvironment());
            for (EffectiveSettings.Setting setting : settings.bound(context.getBean(CostlakeProperties.class))) {
                System.out.println(setting.name() + " = " + mask(setting.name(), setting.value())
                        + "  [" + setting.origin() + "]");
            }
            for (EffectiveSettings.Setting unknown : settings.unknown()) {
                System.out.println("not a setting, ignored: " + unknown.name() + "  [" + unknown.origin() + "]");
            }
            System.out.println("database in use: " + context.getBean(CostlakeDatabase.class).description());
            return ExitCode.OK.code();
        }
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
