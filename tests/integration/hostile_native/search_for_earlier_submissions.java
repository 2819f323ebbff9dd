// attack: from Java, find an earlier submission's program or files in the same warm jail: its source /code/main.py, anything in /code but this program's archive, what it left in /tmp and /dev/shm, its marker anywhere readable
// tests: after-earlier code-main-py code-holds-only-main scratch-empty earlier-marker

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Scanner;
import java.util.stream.Collectors;

// include "probe.java.inc"
// include "search.java.inc"

public class Main {
    static List<String> names(String folder) throws Exception {
        return Files.list(Path.of(folder)).map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }

    public static void main(String[] args) throws Exception {
        String marker = new Scanner(System.in).next();
        Probe.attempt("code-main-py", "NoSuchFileException", () -> Files.readAllBytes(Path.of("/code/main.py")));
        List<String> code = names("/code");
        Probe.holds("code-holds-only-main", code.equals(List.of("main")), "/code holds " + code);
        List<String> scratch = names("/tmp");
        scratch.addAll(names("/dev/shm"));
        Probe.holds("scratch-empty", scratch.isEmpty(), "scratch holds " + scratch);
        Probe.holds("earlier-marker", !Search.everywhere(marker, false), "found " + Search.found + " in " + Search.where);
    }
}
