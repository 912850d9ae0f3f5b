package io.costlake.ingest.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.AbstractFileSystem;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsCreateModes;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.testing.TestSpark;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;

class ForklessLocalFileSystemTest {
    private static final URI LOCAL = URI.create("file:///");

    @TempDir
    java.nio.file.Path dir;

    @Test
    void sparkReadsAndWritesLocalPathsThroughIt() throws Exception {
        Configuration conf = TestSpark.session().sparkContext().hadoopConfiguration();

        try (FileSystem files = FileSystem.newInstance(LOCAL, conf)) {
            assertThat(files).isInstanceOf(ForklessLocalFileSystem.class);
        }
        assertThat(AbstractFileSystem.get(LOCAL, conf)).isInstanceOf(ForklessLocalFileSystem.Context.class);
    }

    @Test
    void setsThePermissionsHadoopSetsWithoutStartingAProcess() throws Exception {
        // 0640 and 0750 under the default umask 022 stay 0640 and 0750: rw-r----- and rwxr-x---.
        List<String> hadoops;
        try (FileSystem hadoop = rawHadoop()) {
            List<String> started = processesStartedBy(() -> createFileAndDirectory(hadoop, "hadoop"));
            assertThat(started).as("Hadoop without its native library starts chmod").isNotEmpty();
            hadoops = permissions("hadoop");
        }
        try (FileSystem forkless = forkless()) {
            assertThat(processesStartedBy(() -> createFileAndDirectory(forkless, "forkless"))).isEmpty();
        }

        assertThat(permissions("forkless")).isEqualTo(hadoops).containsExactly("rw-r-----", "rwxr-x---");
    }

    @Test
    void setsAPermissionWithAMaskedAndAnUnmaskedModeAsHadoopDoes() throws Exception {
        // What a create through FileContext may carry: 0777 under the umask 022, so the mode set is 0755. Its text
        // names both modes ("{ masked: rwxr-xr-x, unmasked: rwxrwxrwx }"), so the bits are taken from its actions.
        FsPermission createModes = FsCreateModes.applyUMask(new FsPermission((short) 0777),
                new FsPermission((short) 022));
        java.nio.file.Path byHadoop = Files.createDirectory(dir.resolve("by-hadoop"));
        java.nio.file.Path byForkless = Files.createDirectory(dir.resolve("by-forkless"));

        try (FileSystem hadoop = rawHadoop(); FileSystem forkless = forkless()) {
            hadoop.setPermission(new Path(byHadoop.toUri()), createModes);
            assertThat(processesStartedBy(() -> forkless.setPermission(new Path(byForkless.toUri()), createModes)))
                    .isEmpty();
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(byForkless)))
                .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(byHadoop)))
                .isEqualTo("rwxr-xr-x");
    }

    @Test
    void givesTheLinkStatusHadoopGivesAndRenamesThroughFileContext() throws Exception {
        java.nio.file.Path file = Files.writeString(dir.resolve("file"), "x");
        java.nio.file.Path link = Files.createSymbolicLink(dir.resolve("link"), file);

        try (FileSystem hadoop = rawHadoop(); FileSystem forkless = forkless()) {
            for (java.nio.file.Path path : List.of(file, link)) {
                FileStatus expected = hadoop.getFileLinkStatus(new Path(path.toUri()));
                FileStatus actual = forkless.getFileLinkStatus(new Path(path.toUri()));
                assertThat(actual.isSymlink()).isEqualTo(expected.isSymlink());
                assertThat(actual.getLen()).isEqualTo(expected.getLen());
                assertThat(actual.getPath()).isEqualTo(expected.getPath());
            }
        }

        // Delta's log store commits a version by such a rename: the temporary file's status is read on the way.
        FileContext context = FileContext.getFileContext(LOCAL, configuration());
        Path from = new Path(dir.resolve("version.tmp").toUri());
        Path to = new Path(dir.resolve("version.json").toUri());
        try (FSDataOutputStream out = context.create(from, EnumSet.of(CreateFlag.CREATE))) {
            out.writeBytes("{}");
        }
        List<String> started = processesStartedBy(() -> context.rename(from, to, Options.Rename.NONE));

        assertThat(started).isEmpty();
        assertThat(Files.readString(java.nio.file.Path.of(to.toUri()))).isEqualTo("{}");
        assertThat(java.nio.file.Path.of(from.toUri())).doesNotExist();
    }

    private void createFileAndDirectory(FileSystem files, String name) throws IOException {
        Path base = new Path(dir.resolve(name).toUri());
        try (FSDataOutputStream out = files.create(new Path(base, "file"), new FsPermission((short) 0640), true, 4096,
                (short) 1, 1 << 20, null)) {
            out.write(1);
        }
        files.mkdirs(new Path(base, "directory"), new FsPermission((short) 0750));
    }

    private List<String> permissions(String name) throws IOException {
        return List.of(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name).resolve("file"))),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name).resolve("directory"))));
    }

    private static FileSystem rawHadoop() throws IOException {
        RawLocalFileSystem hadoop = new RawLocalFileSystem();
        hadoop.initialize(LOCAL, new Configuration());
        return hadoop;
    }

    private static FileSystem forkless() throws IOException {
        return FileSystem.newInstance(LOCAL, configuration());
    }

    private static Configuration configuration() {
        Configuration conf = new Configuration();
        ForklessLocalFileSystem.hadoopSettings().forEach(conf::set);
        return conf;
    }

    /** The commands of the processes this JVM started while the action ran, as Flight Recorder saw them. */
    private List<String> processesStartedBy(FileAction action) throws Exception {
        java.nio.file.Path recorded = Files.createTempFile(dir, "processes", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ProcessStart");
            recording.start();
            action.run();
            recording.stop();
            recording.dump(recorded);
        }
        return RecordingFile.readAllEvents(recorded).stream().map(event -> event.getString("command")).toList();
    }

    @FunctionalInterface
    private interface FileAction {
        void run() throws Exception;
    }
}
