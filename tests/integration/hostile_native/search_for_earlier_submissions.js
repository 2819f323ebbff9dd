// attack: from JavaScript, find an earlier submission's program or files in the same warm jail: its source /code/main.py, anything in /code but this program, what it left in /tmp and /dev/shm, its marker anywhere readable
// tests: after-earlier code-main-py code-holds-only-main scratch-empty earlier-marker

// include "probe.js.inc"
// include "search.js.inc"

const fs = require("fs");
const marker = fs.readFileSync(0, "utf8").trim();
attempt("code-main-py", "ENOENT", () => fs.readFileSync("/code/main.py"));
const code = fs.readdirSync("/code");
holds("code-holds-only-main", code.length === 1 && code[0] === "main", `/code holds ${code}`);
const scratch = [...fs.readdirSync("/tmp"), ...fs.readdirSync("/dev/shm")];
holds("scratch-empty", scratch.length === 0, `scratch holds ${scratch}`);
holds("earlier-marker", !searchEverywhere(marker, false), `found ${search.found} in ${search.where}`);
