// attack: kill -KILL -1 from a shell the Java program spawns: every process the program may signal, the one that serves its submission included
// tests: bomb
// verdicts: runtime_error / skipped passed

import java.util.Scanner;

// include "probe.java.inc"

public class Main {
    public static void main(String[] args) throws Exception {
        String line = new Scanner(System.in).nextLine();
        if (line.equals("bomb")) {
            Probe.shell("kill -KILL -1");
            System.out.println(0);
            return;
        }
        System.out.println(2 * Long.parseLong(line.trim()));
    }
}
