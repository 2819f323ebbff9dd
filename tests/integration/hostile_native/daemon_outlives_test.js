// attack: a daemon the JavaScript program leaves behind (a detached shell in a session of its own, unreferenced, node gone), which keeps writing a file so that the next test could see it, or be slowed by it
// tests: bomb
// verdicts: wrong_answer / passed

// include "probe.js.inc"

const fs = require("fs");
const alive = "/tmp/@MARKER@-alive";
const line = fs.readFileSync(0, "utf8").trim();
if (line === "bomb") {
    const script = `sleep 0.2; while :; do echo still here > ${alive}; sleep 0.05; done`;
    require("child_process").spawn("/bin/sh", ["-c", script, "@MARKER@"], { detached: true, stdio: "ignore" }).unref();
    console.log(0);
} else {
    // The next test: no other process, and no file written after a moment.
    fs.rmSync(alive, { force: true });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
    const others = fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n) && Number(n) !== process.pid);
    if (others.length) {
        console.log("another process is alive");
    } else if (fs.existsSync(alive)) {
        console.log("a daemon ran on");
    } else {
        console.log(2 * Number(line));
    }
}
