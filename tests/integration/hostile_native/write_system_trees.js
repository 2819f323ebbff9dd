// attack: change the program's own source, the harness, node and its modules and the system trees the jail mounts read-only from JavaScript: write, create, chmod, chown, rename, unlink, truncate, link, symlink, set times; plant a module where node looks for one (the global folders, the home folder)
// tests: probe code-main-write code-main-truncate code-main-chmod code-main-chown code-main-unlink code-main-rename code-main-utimes code-create code-link harness-write harness-create usr-create node-binary-write node-modules-create npm-unlink etc-create etc-ldcache-write root-create root-mkdir root-node-modules dev-create dev-null-chmod dev-symlink

// include "probe.js.inc"

const fs = require("fs");
const append = (path) => fs.appendFileSync(path, "x");
const create = (path) => fs.writeFileSync(path, "x", { flag: "wx" });
attempt("code-main-write", "", () => append("/code/main"));
attempt("code-main-truncate", "", () => fs.truncateSync("/code/main", 0));
attempt("code-main-chmod", "EROFS", () => fs.chmodSync("/code/main", 0o777));
attempt("code-main-chown", "", () => fs.chownSync("/code/main", process.getuid(), process.getgid()));
attempt("code-main-unlink", "EROFS", () => fs.unlinkSync("/code/main"));
attempt("code-main-rename", "EROFS", () => fs.renameSync("/code/main", "/code/old"));
attempt("code-main-utimes", "", () => fs.utimesSync("/code/main", 0, 0));
attempt("code-create", "EROFS", () => create("/code/@MARKER@"));
attempt("code-link", "", () => fs.linkSync("/code/main", "/tmp/@MARKER@-main"));
attempt("harness-write", "", () => append("/crucible/harness.py"));
attempt("harness-create", "EROFS", () => create("/crucible/@MARKER@.py"));
attempt("usr-create", "EROFS", () => create("/usr/@MARKER@"));
attempt("node-binary-write", "", () => append(process.execPath));
attempt("node-modules-create", "", () => create("/usr/lib/node_modules/@MARKER@.js"));
attempt("npm-unlink", "", () => fs.unlinkSync("/usr/lib/node_modules/npm/package.json"));
attempt("etc-create", "EROFS", () => create("/etc/@MARKER@"));
attempt("etc-ldcache-write", "", () => append("/etc/ld.so.cache"));
attempt("root-create", "EROFS", () => create("/@MARKER@"));
attempt("root-mkdir", "EROFS", () => fs.mkdirSync("/@MARKER@"));
// node looks for modules in /node_modules above every program's folder.
attempt("root-node-modules", "EROFS", () => fs.mkdirSync("/node_modules"));
attempt("dev-create", "EROFS", () => create("/dev/@MARKER@"));
attempt("dev-null-chmod", "", () => fs.chmodSync("/dev/null", 0o666));
attempt("dev-symlink", "EROFS", () => fs.symlinkSync("/tmp", "/dev/@MARKER@"));
