// attack: from JavaScript, a terabyte ArrayBuffer, then worker threads until refused (each a V8 isolate of about 7 MB on a thread of its own: the memory limit is raised so that the pids limit is what refuses them), left running at exit (4 s of CPU: starting isolates until refused took about 1 s of CPU on a loaded machine)
// tests: probe array-buffer-1tib heap-still=works worker-bomb
// limits: {"memory_mb": 384, "time_s": 4}

// include "probe.js.inc"

const { Worker } = require("worker_threads");

// Workers until refused: contained when refused (EAGAIN) before the pids limit (@PIDS@,
// which counts threads), whatever a worker that did start does.
function workers() {
    const made = [];
    try {
        while (made.length < 10000) {
            const worker = new Worker("setInterval(() => {}, 1000);", { eval: true, resourceLimits: { maxOldGenerationSizeMb: 32 } });
            worker.on("error", () => {});
            made.push(worker);
        }
    } catch (refused) {
        if (made.length < @PIDS@) {
            throw refused;
        }
    }
    return `${made.length} workers`;
}

attempt("array-buffer-1tib", "RangeError", () => new ArrayBuffer(2 ** 40).byteLength);
say("heap-still", Buffer.alloc(1 << 20, 1).length === 1 << 20 ? "works" : "FAILED");
attempt("worker-bomb", "ERR_WORKER_INIT_FAILED", workers);
process.exit(0);
