package io.costlake.ingest.spark;

import static java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE;
import static java.nio.file.attribute.PosixFilePermission.GROUP_READ;
import static java.nio.file.attribute.PosixFilePermission.GROUP_WRITE;
import static java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE;
import static java.nio.file.attribute.PosixFilePermission.OTHERS_READ;
import static java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE;
import static java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE;
import static java.nio.file.attribute.PosixFilePermission.OWNER_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_WRITE;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FsConstants;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.local.LocalConfigKeys;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}), but setting a file's permissions and reading its link status through
 * java.nio instead of a child process. Without Hadoop's native library, which no Maven artifact carries,
 * {@link RawLocalFileSystem} runs {@code chmod} for every file and directory it creates with a permission (every
 * Parquet file Spark or the ingest writes, every directory) and {@code readlink} for every path a rename through
 * {@code FileContext} looks at (Delta's log commits): ~2,000 processes forked a 10,000-pod day, 3.6 ms each from a
 * JVM with a few GB of heap, on the tasks' threads and the commits' (docs/PERFORMANCE.md, session 23).
 *
 * <p>What is written and read is Hadoop's own: the same permissions (after the same umask, applied by the caller),
 * the same statuses. A permission java.nio cannot express (the sticky bit) and a path that is a symbolic link take
 * Hadoop's own way. {@link Context} is the same for {@code FileContext}.
 */
public final class ForklessLocalFileSystem extends LocalFileSystem {
    public ForklessLocalFileSystem() {
        super(new Raw());
    }

    /** The Hadoop settings that give {@code file:} paths this file system, through FileSystem and FileContext. */
    public static Map<String, String> hadoopSettings() {
        return Map.of("fs.file.impl", ForklessLocalFileSystem.class.getName(),
                "fs.AbstractFileSystem.file.impl", Context.class.getName());
    }

    /** The file system without checksum files, which {@link LocalFileSystem} and {@link Context} wrap. */
    static final class Raw extends RawLocalFileSystem {
        @Override
        public void setPermission(Path path, FsPermission permission) throws IOException {
            if (permission.getStickyBit()) {
                super.setPermission(path, permission);
                return;
            }
            try {
                Files.setPosixFilePermissions(pathToFile(path).toPath(), posix(permission));
            } catch (UnsupportedOperationException notPosix) {
                super.setPermission(path, permission);
            }
        }

        /**
         * The bits chmod would set from the permission's octal value. Built from its actions, not parsed from its
         * text: a permission may be an {@code FsCreateModes}, whose text names both its masked and its unmasked mode.
         */
        private static Set<PosixFilePermission> posix(FsPermission permission) {
            Set<PosixFilePermission> posix = EnumSet.noneOf(PosixFilePermission.class);
            add(posix, permission.getUserAction(), OWNER_READ, OWNER_WRITE, OWNER_EXECUTE);
            add(posix, permission.getGroupAction(), GROUP_READ, GROUP_WRITE, GROUP_EXECUTE);
            add(posix, permission.getOtherAction(), OTHERS_READ, OTHERS_WRITE, OTHERS_EXECUTE);
            return posix;
        }

        private static void add(Set<PosixFilePermission> posix, FsAction action, PosixFilePermission read,
                PosixFilePermission write, PosixFilePermission execute) {
            if (action.implies(FsAction.READ)) {
                posix.add(read);
            }
            if (action.implies(FsAction.WRITE)) {
                posix.add(write);
            }
            if (action.implies(FsAction.EXECUTE)) {
                posix.add(execute);
            }
        }

        /** A path that is not a symbolic link has its own status as its link status, which Hadoop also returns. */
        @Override
        public FileStatus getFileLinkStatus(Path path) throws IOException {
            if (Files.isSymbolicLink(pathToFile(path).toPath())) {
                return super.getFileLinkStatus(path);
            }
            return getFileStatus(path);
        }
    }

    /**
     * {@code fs.AbstractFileSystem.file.impl}: Hadoop's {@code LocalFs} (checksums over {@code RawLocalFs}) over
     * {@link Raw}, with {@code RawLocalFs}'s own answers for the port, the server defaults and valid names.
     */
    public static final class Context extends ChecksumFs {
        public Context(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(new RawContext(uri, conf));
        }
    }

    private static final class RawContext extends DelegateToFileSystem {
        RawContext(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(uri, new Raw(), conf, FsConstants.LOCAL_FS_URI.getScheme(), false);
        }

        @Override
        public int getUriDefaultPort() {
            return -1;
        }

        @Override
        @SuppressWarnings("deprecation")
        public FsServerDefaults getServerDefaults() throws IOException {
            return LocalConfigKeys.getServerDefaults();
        }

        @Override
        public FsServerDefaults getServerDefaults(Path path) throws IOException {
            return LocalConfigKeys.getServerDefaults();
        }

        @Override
        public boolean isValidName(String src) {
            return true;
        }
    }
}
