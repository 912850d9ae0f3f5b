package io.costlake.ingest.spark;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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

    /** The file system without checksum files, which {@link LocalFileSystem} and {@link Context} wrap. */
    static final class Raw extends RawLocalFileSystem {
        @Override
        public void setPermission(Path path, FsPermission permission) throws IOException {
            if (permission.getStickyBit()) {
                super.setPermission(path, permission);
                return;
            }
            // FsPermission prints the nine rwx characters of its user, group and other actions, as ls does.
            Set<PosixFilePermission> posix = PosixFilePermissions.fromString(permission.toString());
            try {
                Files.setPosixFilePermissions(pathToFile(path).toPath(), posix);
            } catch (UnsupportedOperationException notPosix) {
                super.setPermission(path, permission);
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
