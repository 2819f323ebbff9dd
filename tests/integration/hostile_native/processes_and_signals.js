// attack: from JavaScript, see and reach the harness's processes: list every process, read PID 1's and the parent's files, signal them with process.kill and process._debugProcess, raise their priority with os.setPriority, and take another user's identity
// tests: probe proc-lists-only-own proc-pid1-environ proc-parent-environ proc-pid1-mem proc-parent-mem proc-pid1-fd proc-parent-fd proc-pid1-maps proc-parent-maps kill-pid1-SIGKILL kill-pid1-SIGSTOP kill-pid1-SIGTERM kill-pid1-SIGINT kill-pid1-SIGSEGV debug-pid1 kill-parent-SIGTERM kill-parent-SIGINT kill-parent-SIGHUP kill-parent-SIGUSR1 kill-parent-SIGPIPE kill-parent-SIGALRM debug-parent priority-pid1-up priority-parent-up setuid-root setgid-root setgroups-root

// include "probe.js.inc"

const fs = require("fs");
const os = require("os");

function openRead(path) {
    const fd = fs.openSync(path, "r");
    try {
        return fs.fstatSync(fd).isDirectory() ? fs.readdirSync(path).length : fs.readSync(fd, Buffer.alloc(1));
    } finally {
        fs.closeSync(fd);
    }
}

// Whether `pid` is still there a moment after `send`: throws (contained) when it is.
function survives(pid, send) {
    send();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    process.kill(pid, 0);
    throw Object.assign(new Error(`${pid} is still there`), { code: "ALIVE" });
}

const parent = process.ppid;
const child = require("child_process").spawn("/bin/sleep", ["30"], { stdio: "ignore" });
const listed = fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n)).map(Number).sort();
const own = [process.pid, child.pid].sort();
holds("proc-lists-only-own", JSON.stringify(listed) === JSON.stringify(own), `/proc lists ${listed}`);
for (const leaf of ["environ", "mem", "fd", "maps"]) {
    attempt(`proc-pid1-${leaf}`, "", () => openRead(`/proc/1/${leaf}`));
    attempt(`proc-parent-${leaf}`, "", () => openRead(`/proc/${parent}/${leaf}`));
}
child.kill("SIGKILL");
// PID 1 takes no signal from inside its namespace; the parent holds these blocked.
for (const signal of ["SIGKILL", "SIGSTOP", "SIGTERM", "SIGINT", "SIGSEGV"]) {
    attempt(`kill-pid1-${signal}`, "ALIVE", () => survives(1, () => process.kill(1, signal)));
}
attempt("debug-pid1", "ALIVE", () => survives(1, () => process._debugProcess(1)));
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP", "SIGUSR1", "SIGPIPE", "SIGALRM"]) {
    attempt(`kill-parent-${signal}`, "ALIVE", () => survives(parent, () => process.kill(parent, signal)));
}
attempt("debug-parent", "ALIVE", () => survives(parent, () => process._debugProcess(parent)));
attempt("priority-pid1-up", "EACCES", () => os.setPriority(1, -10));
attempt("priority-parent-up", "EACCES", () => os.setPriority(parent, -10));
// uid and gid 0 do not exist in the jail's user namespace.
attempt("setuid-root", "EINVAL", () => process.setuid(0));
attempt("setgid-root", "EINVAL", () => process.setgid(0));
attempt("setgroups-root", "EPERM", () => process.setgroups([0]));
