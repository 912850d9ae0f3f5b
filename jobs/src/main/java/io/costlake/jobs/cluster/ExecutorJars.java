package io.costlake.jobs.cluster;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import io.costlake.costmodel.CostAttribution;
import io.costlake.ingest.spark.CostlakeSpark;
import io.costlake.jobs.config.ConfigurationException;

/**
 * The jars a Spark executor needs beyond a Spark distribution: costlake's ingest and cost-model modules (their
 * lambdas and parsers run in tasks), the number parser the OpenMetrics reader uses, and Delta Lake with its Unity
 * Catalog client. They go to the executors through
 * {@code spark.jars}: the driver serves them and every executor adds them to its class loader.
 *
 * <p>A Spring Boot jar keeps its libraries as nested jars ({@code BOOT-INF/lib/*.jar}), which an executor's class
 * loader cannot open; those are copied out to a temporary directory first. On a plain class path (an IDE, Maven
 * tests) the jars are used where they are.
 */
public final class ExecutorJars {
    /** File names of the jars to ship. */
    static final Predicate<String> SHIPPED = Pattern.compile(
            "(costlake-ingest|costlake-cost-model|fastdoubleparser|delta-.+|unitycatalog-.+)-\\d.*\\.jar")
            .asMatchPredicate();
    private static final String BOOT_LIB = "BOOT-INF/lib/";

    private ExecutorJars() {}

    /** The jars to ship, copied out of the Spring Boot jar when costlake runs from one. */
    public static List<Path> locate() {
        Optional<Path> bootJar = bootJar(codeSource(CostlakeSpark.class).toString());
        List<Path> jars = bootJar.isPresent() ? extract(bootJar.get(), temporaryDirectory())
                : fromClassPath(System.getProperty("java.class.path", ""));
        for (Class<?> module : List.of(CostlakeSpark.class, CostAttribution.class)) {
            URL location = codeSource(module);
            boolean found = jars.stream().anyMatch(jar -> location.toString().contains(jar.getFileName().toString()));
            if (!found) {
                throw new ConfigurationException("a Spark cluster needs costlake as jars, but " + module.getName()
                        + " was loaded from " + location + "; run the packaged jobs/target/costlake.jar (the "
                        + "costlake launcher) or spark-submit it");
            }
        }
        return jars;
    }

    /** The shipped jars among the entries of a class path string. */
    static List<Path> fromClassPath(String classPath) {
        List<Path> jars = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!entry.isBlank() && path.getFileName() != null && SHIPPED.test(path.getFileName().toString())
                    && Files.isRegularFile(path)) {
                jars.add(path.toAbsolutePath());
            }
        }
        return jars;
    }

    /** Copies the shipped jars nested in a Spring Boot jar into {@code target}. */
    static List<Path> extract(Path bootJar, Path target) {
        List<Path> jars = new ArrayList<>();
        try (JarFile jar = new JarFile(bootJar.toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(BOOT_LIB) && name.indexOf('/', BOOT_LIB.length()) < 0
                        && SHIPPED.test(name.substring(BOOT_LIB.length()))) {
                    Path copy = target.resolve(name.substring(BOOT_LIB.length()));
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                    }
                    copy.toFile().deleteOnExit();
                    jars.add(copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the executor jars out of " + bootJar, e);
        }
        return jars;
    }

    /**
     * The outer jar when a class comes from a jar nested in a Spring Boot jar: Boot 3.2+ names such a location
     * {@code jar:nested:/path/costlake.jar/!BOOT-INF/lib/costlake-ingest-….jar!/}.
     */
    static Optional<Path> bootJar(String location) {
        int nested = location.indexOf("nested:");
        int lib = location.indexOf("/!" + BOOT_LIB);
        if (nested < 0 || lib < 0) {
            return Optional.empty();
        }
        return Optional.of(Path.of(URLDecoder.decode(location.substring(nested + "nested:".length(), lib),
                StandardCharsets.UTF_8)));
    }

    private static URL codeSource(Class<?> type) {
        return requireNonNull(type.getProtectionDomain().getCodeSource(), type + " has no code source").getLocation();
    }

    private static Path temporaryDirectory() {
        try {
            Path directory = Files.createTempDirectory("costlake-executor-jars");
            directory.toFile().deleteOnExit();
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the executor jars", e);
        }
    }
}
