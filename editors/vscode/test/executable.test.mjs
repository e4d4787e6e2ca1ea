// Unit tests of src/executable.ts (compiled to out/executable.js).
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const { candidateFiles, findExecutable, expandSetting, missingExecutableMessage } = createRequire(import.meta.url)("../out/executable.js");

const root = mkdtempSync(join(tmpdir(), "rosc-exe-"));
const bin = join(root, "bin");
const other = join(root, "other");
mkdirSync(bin);
mkdirSync(other);
const rosc = join(bin, "rosc");
writeFileSync(rosc, "#!/bin/sh\n");
chmodSync(rosc, 0o755);
writeFileSync(join(other, "rosc"), "not executable\n");
chmodSync(join(other, "rosc"), 0o644);
mkdirSync(join(root, "venv", "bin"), { recursive: true });
const venvRosc = join(root, "venv", "bin", "rosc");
writeFileSync(venvRosc, "#!/bin/sh\n");
chmodSync(venvRosc, 0o755);

const posix = (PATH, extra = {}) => ({ env: { PATH }, platform: "linux", home: root, ...extra });

test("a bare name is looked up on the PATH, skipping files that cannot run", () => {
  assert.equal(findExecutable("rosc", posix(`${other}:${bin}`)), rosc);
  assert.equal(findExecutable("rosc", posix(other)), undefined);
  assert.equal(findExecutable("rosc", posix("")), undefined);
  assert.equal(findExecutable("rosc", { env: {}, platform: "linux", home: root }), undefined);
});

test("a path is used as it is, relative ones from the workspace folder", () => {
  assert.equal(findExecutable(rosc, posix("")), rosc);
  assert.equal(findExecutable("venv/bin/rosc", posix("", { workspaceFolder: root })), venvRosc);
  assert.equal(findExecutable("${workspaceFolder}/venv/bin/rosc", posix("", { workspaceFolder: root })), venvRosc);
  assert.equal(findExecutable("~/venv/bin/rosc", posix("")), venvRosc);
  assert.equal(findExecutable(join(root, "missing", "rosc"), posix(bin)), undefined);
  assert.equal(findExecutable(bin, posix("")), undefined, "a folder is not an executable");
  assert.equal(findExecutable("  ", posix(bin)), undefined);
});

test("expansion of ~ and ${userHome}", () => {
  assert.equal(expandSetting("~/x", posix("")), `${root}/x`);
  assert.equal(expandSetting("${userHome}/x", posix("")), `${root}/x`);
  assert.equal(expandSetting("a~b", posix("")), "a~b");
});

test("Windows: PATHEXT endings, the Path variable, quoted folders", () => {
  const lookup = { env: { Path: 'C:\\bin;"C:\\Program Files\\rosc"', PATHEXT: ".COM;.EXE" }, platform: "win32", home: "C:\\Users\\me" };
  assert.deepEqual(candidateFiles("rosc", lookup), [
    "C:\\bin\\rosc",
    "C:\\bin\\rosc.COM",
    "C:\\bin\\rosc.EXE",
    "C:\\Program Files\\rosc\\rosc",
    "C:\\Program Files\\rosc\\rosc.COM",
    "C:\\Program Files\\rosc\\rosc.EXE",
  ]);
  assert.deepEqual(candidateFiles("rosc.exe", lookup), ["C:\\bin\\rosc.exe", "C:\\Program Files\\rosc\\rosc.exe"]);
  assert.deepEqual(candidateFiles("~\\venv\\Scripts\\rosc.exe", lookup), ["C:\\Users\\me\\venv\\Scripts\\rosc.exe"]);
});

test("the message says what is missing and how to fix it", () => {
  const message = missingExecutableMessage("rosc");
  assert.match(message, /"rosc" was not found on the PATH/);
  assert.match(message, /pip install rosc/);
  assert.match(message, /rosc\.path/);
  assert.match(missingExecutableMessage("/opt/rosc/bin/rosc"), /"\/opt\/rosc\/bin\/rosc" was not found\. /);
  assert.match(missingExecutableMessage(""), /rosc\.path is empty/);
});
