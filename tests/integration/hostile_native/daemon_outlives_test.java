// attack: a daemon the Java program leaves behind (setsid, nohup, in the background, the JVM gone), which keeps writing a file so that the next test could see it, or be slowed by it
// tests: bomb
// verdicts: wrong_answer / passed

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Scanner;

// include "probe.java.inc"

public class Main {
    public static void main(String[] args) throws Exception {
        String line = new Scanner(System.in).nextLine();
        Path alive = Path.of("/tmp/@MARKER@-alive");
        if (line.equals("bomb")) {
            Probe.shell("setsid nohup /bin/sh -c 'sleep 0.2; while :; do echo still here > " + alive
                    + "; sleep 0.05; done' @MARKER@ >/dev/null 2>&1 &");
            System.out.println(0);
            return;
        }
        // The next test: no other process, and no file written after a moment.
        Files.deleteIfExists(alive);
        Thread.sleep(400);
        long me = ProcessHandle.current().pid();
        long others = Files.list(Path.of("/proc")).map(p -> p.getFileName().toString())
                .filter(n -> n.chars().allMatch(Character::isDigit) && Long.parseLong(n) != me).count();
        if (others > 0) {
            System.out.println("another process is alive");
        } else if (Files.exists(alive)) {
            System.out.println("a daemon ran on");
        } else {
            System.out.println(2 * Long.parseLong(line.trim()));
        }
    }
}
