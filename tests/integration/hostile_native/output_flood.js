// attack: flood both output streams from JavaScript, past the output cap and on after writes fail (each failed write's error caught), stdout by direct writes and stderr through console.error
// tests: bomb
// verdicts: output_limit / passed

const fs = require("fs");
const line = fs.readFileSync(0, "utf8").trim();
if (line === "bomb") {
    const chunk = "0123456789abcdef".repeat(4096);
    for (;;) {
        for (const write of [() => fs.writeSync(1, chunk), () => console.error(chunk)]) {
            try {
                write();
            } catch (refused) {
                // and on
            }
        }
    }
}
console.log(2 * Number(line));
