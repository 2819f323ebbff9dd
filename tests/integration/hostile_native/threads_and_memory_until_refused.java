// attack: untouched allocations far over the memory limit from Java (a heap array, a direct buffer), then threads until refused (small stacks, so memory is not what stops them), left running at exit
// tests: probe heap-array-8gib direct-buffer-2gib heap-still=works thread-bomb
// limits: {"wall_time_s": 4}

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

// include "probe.java.inc"

public class Main {
    // Threads until refused: contained when refused before the pids limit (@PIDS@, which
    // counts threads).  The JVM logs a refused thread on stdout, which the test compares, so
    // its log is turned off first (as `jcmd <pid> VM.log disable` would).
    static Object threads() throws Exception {
        java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                "vmLog", new Object[] {new String[] {"disable"}}, new String[] {String[].class.getName()});
        List<Thread> made = new ArrayList<>();
        try {
            while (made.size() < 100000) {
                Thread thread = new Thread(null, () -> {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException woken) {
                        // left to end with the process
                    }
                }, "sleeper", 1 << 16);
                thread.setDaemon(true);
                thread.start();
                made.add(thread);
            }
        } catch (OutOfMemoryError refused) {
            if (made.size() < @PIDS@) {
                throw refused;
            }
        }
        return made.size() + " threads";
    }

    public static void main(String[] args) throws Exception {
        Probe.attempt("heap-array-8gib", "OutOfMemoryError", () -> new long[1 << 30].length);
        Probe.attempt("direct-buffer-2gib", "OutOfMemoryError", () -> ByteBuffer.allocateDirect(Integer.MAX_VALUE).capacity());
        Probe.say("heap-still", new long[1 << 20].length == 1 << 20 ? "works" : "FAILED");
        Probe.attempt("thread-bomb", "unable to create native thread", Main::threads);
        Runtime.getRuntime().halt(0);
    }
}
