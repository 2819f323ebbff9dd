// attack: process.kill(process.ppid, "SIGSTOP") from JavaScript: pause the process that serves the submission, so that grading hangs
// tests: bomb
// verdicts: runtime_error / skipped passed

// include "probe.js.inc"

const line = require("fs").readFileSync(0, "utf8").trim();
if (line === "bomb") {
    process.kill(process.ppid, "SIGSTOP");
    console.log(0);
} else {
    console.log(2 * Number(line));
}
