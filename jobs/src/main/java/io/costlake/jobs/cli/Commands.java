package io.costlake.jobs.cli;

import picocli.CommandLine;

/** Wires the subcommands and maps failures to exit codes with one clear message. */
public final class Commands {
    private Commands() {}

    public static CommandLine commandLine(Object top) {
        CommandLine commandLine = new CommandLine(top)
                .addSubcommand(new GenerateCommand())
                .addSubcommand(new RunCommand())
                .addSubcommand(new ReportCommand())
                .addSubcommand(new DemoCommand())
                .addSubcommand(new ConfigCommand())
                .addSubcommand(new ScheduleCommand())
                .addSubcommand(new EvaluateIdleCommand())
                .addSubcommand(new BenchCommand());
        commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
            ExitCode code = ExitCode.of(failure);
            line.getErr().println("costlake " + line.getCommandName() + ": " + ExitCode.messageOf(failure));
            if (code == ExitCode.INTERNAL_ERROR) {
                failure.printStackTrace(line.getErr());
            }
            return code.code();
        });
        commandLine.setExitCodeExceptionMapper(failure -> failure instanceof CommandLine.ParameterException
                ? ExitCode.USAGE.code() : ExitCode.of(failure).code());
        return commandLine;
    }
}
