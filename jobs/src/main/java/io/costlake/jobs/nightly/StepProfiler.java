package io.costlake.jobs.nightly;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;

import io.costlake.jobs.config.ConfigurationException;
import one.profiler.AsyncProfiler;

/**
 * Samples each step of the nightly job with async-profiler and writes a flame graph per step and day,
 * {@code <dir>/<day>-<step>.html}, logging the step's hottest frames: what {@code costlake bench --profile} shows
 * the bottlenecks with (issue #9). It samples this JVM only: the driver, and with a local master the executors.
 *
 * <p>async-profiler rather than Flight Recorder: JFR's execution samples are of Java threads only, and on two
 * cores the JIT compiler's and the collector's threads take a day's CPU too (C2 was an eighth of a warm
 * attribution's in session 24's profile), as do the kernel's reads; async-profiler samples them all, and draws the
 * flame graph itself.
 */
final class StepProfiler implements StepExecutionListener {
    private static final Logger LOG = LoggerFactory.getLogger(StepProfiler.class);
    /** Frames by self time in a step's log line. */
    private static final int HOTTEST_FRAMES = 8;

    private final AsyncProfiler profiler;
    private final String event;
    private final Path dir;

    /**
     * @throws ConfigurationException when this platform has no async-profiler library or cannot sample the event
     */
    StepProfiler(String event, Path dir) {
        this.event = requireNonNull(event, "event is null").strip();
        this.dir = requireNonNull(dir, "dir is null");
        // The profiler's commands are comma-separated options: a comma in either would start another option.
        if (dir.toString().contains(",")) {
            throw new ConfigurationException("costlake.profile.dir '" + dir + "': a directory without commas, please");
        }
        if (this.event.isEmpty() || !this.event.matches("[A-Za-z0-9_.:-]+")) {
            throw new ConfigurationException("costlake.profile.event '" + event + "': name an event of async-profiler,"
                    + " such as cpu, wall, alloc or itimer");
        }
        try {
            this.profiler = AsyncProfiler.getInstance();
            // "check" asks whether the event can be sampled here (a container may forbid perf events).
            profiler.execute("check,event=" + this.event);
        } catch (UnsatisfiedLinkError | IllegalStateException | IllegalArgumentException | IOException e) {
            throw new ConfigurationException("costlake.profile.event '" + this.event + "': cannot profile on this "
                    + "platform (" + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "): "
                    + e.getMessage(), e);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the profile directory " + dir, e);
        }
    }

    @Override
    public void beforeStep(StepExecution step) {
        try {
            profiler.execute("start,event=" + event);
        } catch (IOException | IllegalStateException e) {
            // A profile is an aid; a step never fails for want of one.
            LOG.warn("step {} is not profiled: {}", step.getStepName(), e.getMessage());
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution step) {
        Path graph = dir.resolve(RunContext.of(step.getJobExecution()).day() + "-" + step.getStepName() + ".html");
        try {
            profiler.execute("stop");
            LOG.info("profile of step {} ({}): {}\n{}", step.getStepName(), event, graph,
                    profiler.dumpFlat(HOTTEST_FRAMES).strip());
            profiler.execute("flamegraph,title=" + step.getStepName() + ",file=" + graph);
        } catch (IOException | IllegalStateException e) {
            LOG.warn("no profile of step {}: {}", step.getStepName(), e.getMessage());
        }
        return step.getExitStatus();
    }
}
