package io.costlake.jobs;

import org.apache.spark.sql.SparkSession;

import io.costlake.jobs.cli.Commands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code costlake} command line (DESIGN §8). */
@Command(name = "costlake", mixinStandardHelpOptions = true, version = "costlake 0.1.0",
        description = "Kubernetes cost attribution and idle-GPU detection: Spark + Delta Lake, PostgreSQL, CSV reports.")
public final class CostlakeCommand {
    public static void main(String[] args) {
        int code = execute(args);
        SparkSession.getActiveSession().foreach(session -> {
            session.stop();
            return null;
        });
        System.exit(code);
    }

    /** Runs a command and returns its exit code, without exiting (for tests and embedding). */
    public static int execute(String... args) {
        return Commands.commandLine(new CostlakeCommand()).execute(args);
    }
}
