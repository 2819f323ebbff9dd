// attack: memory the JVM's heap limit does not count: native allocations through sun.misc.Unsafe, 64 MB at a time, every byte written, until something stops it
// tests: bomb
// verdicts: memory_limit / passed

import java.lang.reflect.Field;
import java.util.Scanner;

public class Main {
    public static void main(String[] args) throws Exception {
        String line = new Scanner(System.in).nextLine();
        if (line.equals("bomb")) {
            Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            sun.misc.Unsafe unsafe = (sun.misc.Unsafe) field.get(null);
            long chunk = 64L << 20;
            for (;;) {
                unsafe.setMemory(unsafe.allocateMemory(chunk), chunk, (byte) 1);
            }
        }
        System.out.println(2 * Long.parseLong(line.trim()));
    }
}
