// attack: memory from JavaScript, every byte written: 64 MB buffers outside V8's heap and arrays on it, all kept, until something stops it
// tests: bomb
// verdicts: memory_limit / passed

const line = require("fs").readFileSync(0, "utf8").trim();
if (line === "bomb") {
    const kept = [];
    for (;;) {
        kept.push(Buffer.allocUnsafe(64 << 20).fill(1));
        kept.push(new Array(1 << 20).fill(1.5));
    }
}
console.log(2 * Number(line));
