// attack: from Java, find the test's expected output anywhere in the jail (files, descriptors, environment, system properties) and print it; the answers start with a prefix the program is given, then unknowable hex
// tests: secret
// verdicts: wrong_answer / wrong_answer

import java.util.Scanner;

// include "probe.java.inc"
// include "search.java.inc"

public class Main {
    public static void main(String[] args) throws Exception {
        String prefix = new Scanner(System.in).next();
        System.out.println(Search.everywhere(prefix, true) ? Search.found : "nothing");
    }
}
