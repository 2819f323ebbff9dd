// attack: flood both output streams at once from Java, stdout from the main thread and stderr from four others, past the output cap and on after writes fail (a PrintStream swallows its errors)
// tests: bomb
// verdicts: output_limit / passed

import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        String line = new Scanner(System.in).nextLine();
        if (line.equals("bomb")) {
            String chunk = "0123456789abcdef".repeat(4096);
            for (int i = 0; i < 4; i++) {
                Thread writer = new Thread(() -> {
                    for (;;) {
                        System.err.print(chunk);
                    }
                });
                writer.setDaemon(true);
                writer.start();
            }
            for (;;) {
                System.out.print(chunk);
            }
        }
        System.out.println(2 * Long.parseLong(line.trim()));
    }
}
