// attack: from Java, see and reach the harness's processes: list every process (/proc, ProcessHandle), read PID 1's and the parent's files, take a ProcessHandle to them, signal them from a spawned shell, and change their limits, affinity, scheduling, I/O priority and nice value with the system's tools (prlimit, taskset, chrt, ionice, renice)
// tests: probe proc-lists-only-own handles-only-own handle-pid1 handle-parent proc-pid1-environ proc-parent-environ proc-pid1-mem proc-parent-mem proc-pid1-fd proc-parent-fd proc-pid1-maps proc-parent-maps kill-pid1-KILL kill-pid1-STOP kill-pid1-TERM kill-parent-TERM kill-parent-INT kill-parent-HUP kill-parent-USR1 prlimit-pid1-nofile prlimit-parent-nofile prlimit-self-raise-cpu taskset-pid1 taskset-parent chrt-pid1-idle chrt-parent-idle ionice-pid1-idle ionice-user-idle renice-pid1-up prlimit-self=works

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

// include "probe.java.inc"

public class Processes {
    static Object openRead(String path) throws Exception {
        Path at = Path.of(path);
        return Files.isDirectory(at) ? Files.list(at).count() : Files.newInputStream(at).read();
    }

    // A signal to `pid` from a shell, and whether it is still there a moment later: the
    // script fails (contained) when it is.
    static String signal(String name, long pid) {
        return "kill -" + name + " " + pid + "; sleep 0.02; ! kill -0 " + pid;
    }

    public static void main(String[] args) throws Exception {
        long me = ProcessHandle.current().pid();
        // The parent's pid from /proc/self/stat: "pid (comm) state ppid ...".
        String stat = Files.readString(Path.of("/proc/self/stat"));
        long parent = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        Process child = new ProcessBuilder("/bin/sleep", "30").start();
        List<String> listed = Files.list(Path.of("/proc")).map(p -> p.getFileName().toString())
                .filter(n -> n.chars().allMatch(Character::isDigit)).sorted().collect(Collectors.toList());
        List<String> own = List.of(String.valueOf(me), String.valueOf(child.pid())).stream().sorted().collect(Collectors.toList());
        Probe.holds("proc-lists-only-own", listed.equals(own), "/proc lists " + listed);
        List<Long> handles = ProcessHandle.allProcesses().map(ProcessHandle::pid).sorted().collect(Collectors.toList());
        Probe.holds("handles-only-own", handles.equals(List.of(Math.min(me, child.pid()), Math.max(me, child.pid()))), "ProcessHandle lists " + handles);
        Probe.holds("handle-pid1", ProcessHandle.of(1).isEmpty(), "a handle to PID 1");
        Probe.holds("handle-parent", ProcessHandle.current().parent().isEmpty(), "a handle to the parent");
        for (String leaf : new String[] {"environ", "mem", "fd", "maps"}) {
            Probe.attempt("proc-pid1-" + leaf, "", () -> openRead("/proc/1/" + leaf));
            Probe.attempt("proc-parent-" + leaf, "", () -> openRead("/proc/" + parent + "/" + leaf));
        }
        child.destroyForcibly().waitFor();
        // PID 1 takes no signal from inside its namespace; the parent holds these blocked.
        for (String name : new String[] {"KILL", "STOP", "TERM"}) {
            Probe.attempt("kill-pid1-" + name, "exit 1", () -> Probe.run(signal(name, 1)));
        }
        for (String name : new String[] {"TERM", "INT", "HUP", "USR1"}) {
            Probe.attempt("kill-parent-" + name, "exit 1", () -> Probe.run(signal(name, parent)));
        }
        String denied = "Operation not permitted";
        Probe.attempt("prlimit-pid1-nofile", denied, () -> Probe.run("prlimit --pid 1 --nofile=16:16"));
        Probe.attempt("prlimit-parent-nofile", denied, () -> Probe.run("prlimit --pid " + parent + " --nofile=4:4"));
        Probe.attempt("prlimit-self-raise-cpu", denied, () -> Probe.run("prlimit --cpu=unlimited:unlimited true"));
        Probe.attempt("taskset-pid1", denied, () -> Probe.run("taskset -p 1 1"));
        Probe.attempt("taskset-parent", denied, () -> Probe.run("taskset -p 1 " + parent));
        Probe.attempt("chrt-pid1-idle", denied, () -> Probe.run("chrt -i -p 0 1"));
        Probe.attempt("chrt-parent-idle", denied, () -> Probe.run("chrt -i -p 0 " + parent));
        Probe.attempt("ionice-pid1-idle", denied, () -> Probe.run("ionice -c 3 -p 1"));
        Probe.attempt("ionice-user-idle", denied, () -> Probe.run("ionice -c 3 -u $(id -u)"));
        Probe.attempt("renice-pid1-up", "Permission denied", () -> Probe.run("renice -n -5 -p 1"));
        Probe.say("prlimit-self", Probe.shell("prlimit --core=0:0 true").startsWith("0") ? "works" : "FAILED");
    }
}
