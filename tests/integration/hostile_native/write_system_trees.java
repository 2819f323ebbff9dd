// attack: change the program's own archive, the harness, the JDK and the system trees the jail mounts read-only from Java: write, create, chmod, rename, delete, truncate, link, set times
// tests: probe code-main-write code-main-truncate code-main-chmod code-main-delete code-main-rename code-main-times code-create code-link harness-write harness-create usr-create java-binary-write jdk-lib-delete jdk-security-write jdk-jvm-cfg-write etc-create etc-ldcache-write root-create root-mkdir dev-create dev-null-chmod

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;

// include "probe.java.inc"

public class Trees {
    static Object append(String path) throws Exception {
        Files.write(Path.of(path), new byte[] {'x'}, StandardOpenOption.APPEND);
        return "written";
    }

    static Object create(String path) throws Exception {
        return Files.write(Path.of(path), new byte[] {'x'}, StandardOpenOption.CREATE_NEW);
    }

    public static void main(String[] args) {
        String rofs = "Read-only file system";
        Path main = Path.of("/code/main");
        // The JDK's own files: its real home, and the configuration Debian keeps in /etc.
        String home = System.getProperty("java.home");
        Probe.attempt("code-main-write", "", () -> append("/code/main"));
        Probe.attempt("code-main-truncate", "", () -> FileChannel.open(main, StandardOpenOption.WRITE).truncate(0));
        Probe.attempt("code-main-chmod", rofs, () -> Files.setPosixFilePermissions(main, PosixFilePermissions.fromString("rwxrwxrwx")));
        Probe.attempt("code-main-delete", rofs, () -> { Files.delete(main); return "deleted"; });
        Probe.attempt("code-main-rename", rofs, () -> Files.move(main, Path.of("/code/old")));
        Probe.attempt("code-main-times", "", () -> Files.setLastModifiedTime(main, FileTime.fromMillis(0)));
        Probe.attempt("code-create", rofs, () -> create("/code/@MARKER@"));
        Probe.attempt("code-link", "", () -> Files.createLink(Path.of("/tmp/@MARKER@-main"), main));
        Probe.attempt("harness-write", "", () -> append("/crucible/harness.py"));
        Probe.attempt("harness-create", rofs, () -> create("/crucible/@MARKER@.py"));
        Probe.attempt("usr-create", rofs, () -> create("/usr/@MARKER@"));
        Probe.attempt("java-binary-write", "", () -> append(home + "/bin/java"));
        Probe.attempt("jdk-lib-delete", "", () -> { Files.delete(Path.of(home, "lib", "modules")); return "deleted"; });
        Probe.attempt("jdk-security-write", "", () -> append(home + "/conf/security/java.security"));
        // The VM configuration every later JVM reads at start (Debian keeps it in /etc).
        Probe.attempt("jdk-jvm-cfg-write", "", () -> append(home + "/lib/jvm.cfg"));
        Probe.attempt("etc-create", rofs, () -> create("/etc/@MARKER@"));
        Probe.attempt("etc-ldcache-write", "", () -> append("/etc/ld.so.cache"));
        Probe.attempt("root-create", rofs, () -> create("/@MARKER@"));
        Probe.attempt("root-mkdir", rofs, () -> Files.createDirectory(Path.of("/@MARKER@")));
        Probe.attempt("dev-create", rofs, () -> create("/dev/@MARKER@"));
        Probe.attempt("dev-null-chmod", "", () -> Files.setPosixFilePermissions(Path.of("/dev/null"), PosixFilePermissions.fromString("rw-rw-rw-")));
    }
}
