// attack: from JavaScript, find the test's expected output anywhere in the jail (files, descriptors, environment, arguments) and print it; the answers start with a prefix the program is given, then unknowable hex
// tests: secret
// verdicts: wrong_answer / wrong_answer

// include "probe.js.inc"
// include "search.js.inc"

const prefix = require("fs").readFileSync(0, "utf8").trim();
console.log(searchEverywhere(prefix, true) ? search.found : "nothing");
