// attack: a process bomb from JavaScript: every node process starts copies of itself in a loop through child_process, and keeps trying once refused
// tests: bomb
// verdicts: memory_limit time_limit / passed

// include "probe.js.inc"

const { spawn } = require("child_process");

function bomb() {
    for (;;) {
        try {
            spawn(process.execPath, [__filename, "bomb"], { stdio: "ignore" });
        } catch (refused) {
            // and again
        }
    }
}

if (process.argv[2] === "bomb") {
    bomb();
}
const line = require("fs").readFileSync(0, "utf8").trim();
if (line === "bomb") {
    bomb();
}
console.log(2 * Number(line));
