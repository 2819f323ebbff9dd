// attack: process.kill(-1, "SIGKILL") from JavaScript: every process the program may signal, the one that serves its submission included
// tests: bomb
// verdicts: runtime_error / skipped passed

// include "probe.js.inc"

const line = require("fs").readFileSync(0, "utf8").trim();
if (line === "bomb") {
    process.kill(-1, "SIGKILL");
    console.log(0);
} else {
    console.log(2 * Number(line));
}
