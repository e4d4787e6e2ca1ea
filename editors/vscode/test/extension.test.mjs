// Tests of the client (out/extension.js) with stand-ins for the `vscode` API
// and for vscode-languageclient: they record what the extension asks for, so
// this checks what it would start and show, not a live VS Code session.
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(readFileSync(join(HERE, "..", "package.json"), "utf8"));

function fakes({ settings = {}, startFails = false } = {}) {
  const log = { clients: [], errors: [], commands: new Map(), folding: [], output: [], configListeners: [] };
  const disposable = { dispose() {} };
  const vscode = {
    workspace: {
      workspaceFolders: [{ uri: { fsPath: tmpdir() } }],
      getConfiguration(section) {
        assert.equal(section, "rosc");
        return { get: (name, defaultValue) => (name in settings ? settings[name] : defaultValue) };
      },
      onDidChangeConfiguration(listener) {
        log.configListeners.push(listener);
        return disposable;
      },
    },
    window: {
      createOutputChannel(name) {
        return { name, appendLine: (line) => log.output.push(line), show() {}, dispose() {} };
      },
      showErrorMessage(message, ...items) {
        log.errors.push({ message, items });
        return Promise.resolve(undefined);
      },
    },
    languages: {
      registerFoldingRangeProvider(selector, provider) {
        log.folding.push({ selector, provider });
        return disposable;
      },
    },
    commands: {
      registerCommand(name, callback) {
        log.commands.set(name, callback);
        return disposable;
      },
      executeCommand() {
        return Promise.resolve();
      },
    },
    FoldingRange: class {
      constructor(start, end, kind) {
        Object.assign(this, { start, end, kind });
      }
    },
    FoldingRangeKind: { Comment: 1, Imports: 2, Region: 3 },
  };
  const languageclient = {
    TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 },
    LanguageClient: class {
      constructor(id, name, serverOptions, clientOptions) {
        Object.assign(this, { id, name, serverOptions, clientOptions, running: false });
        log.clients.push(this);
      }
      async start() {
        if (startFails) throw new Error("spawn failed");
        this.running = true;
      }
      async stop() {
        this.running = false;
      }
    },
  };
  return { log, vscode, languageclient };
}

/** Loads a fresh copy of out/extension.js against the given stand-ins. */
function loadExtension({ vscode, languageclient }) {
  const originalLoad = Module._load;
  Module._load = function (request, ...rest) {
    if (request === "vscode") return vscode;
    if (request === "vscode-languageclient/node") return languageclient;
    return originalLoad.call(this, request, ...rest);
  };
  try {
    const file = require.resolve("../out/extension.js");
    for (const key of Object.keys(require.cache)) if (key.startsWith(join(HERE, "..", "out"))) delete require.cache[key];
    return require(file);
  } finally {
    Module._load = originalLoad;
  }
}

const bin = mkdtempSync(join(tmpdir(), "rosc-ext-"));
const rosc = join(bin, "rosc");
writeFileSync(rosc, "#!/bin/sh\n");
chmodSync(rosc, 0o755);
const empty = join(bin, "empty");
mkdirSync(empty);

async function activated(options, PATH = bin) {
  const saved = process.env.PATH;
  process.env.PATH = PATH;
  const f = fakes(options);
  const extension = loadExtension(f);
  const context = { subscriptions: [] };
  try {
    await extension.activate(context);
  } finally {
    process.env.PATH = saved;
  }
  return { ...f, extension, context };
}

test("starts `rosc lsp` over stdio for routeros documents with the default options", async () => {
  const { log } = await activated();
  assert.equal(log.clients.length, 1);
  const [client] = log.clients;
  assert.equal(client.id, "rosc", "the id makes vscode-languageclient read rosc.trace.server");
  assert.deepEqual(client.serverOptions.command, rosc);
  assert.deepEqual(client.serverOptions.args, ["lsp"]);
  assert.equal(client.serverOptions.transport, 0);
  assert.deepEqual(client.clientOptions.initializationOptions, { debounce: 150, incremental: true, lab: true });
  assert.deepEqual(
    client.clientOptions.documentSelector.map((s) => s.language),
    ["routeros", "routeros"],
  );
  assert.ok(client.running);
  assert.deepEqual(log.errors, []);
});

test("settings become initializationOptions; rosc.path may be a full path", async () => {
  const { log } = await activated({ settings: { path: rosc, debounce: 500, incremental: false, lab: false } }, empty);
  assert.equal(log.clients[0].serverOptions.command, rosc);
  assert.deepEqual(log.clients[0].clientOptions.initializationOptions, { debounce: 500, incremental: false, lab: false });
});

test("a missing executable gives a clear error and no client", async () => {
  const { log } = await activated({}, empty);
  assert.equal(log.clients.length, 0);
  assert.equal(log.errors.length, 1);
  assert.match(log.errors[0].message, /"rosc" was not found on the PATH/);
  assert.match(log.errors[0].message, /rosc\.path/);
  assert.deepEqual(log.errors[0].items, ["Open Settings"]);
  assert.equal(log.folding.length, 1, "folding works without the server");
});

test("a server that does not start is reported", async () => {
  const { log } = await activated({ startFails: true });
  assert.equal(log.errors.length, 1);
  assert.match(log.errors[0].message, /did not start: spawn failed/);
});

test("changing a server setting restarts the server with the new options", async () => {
  const settings = {};
  const saved = process.env.PATH;
  process.env.PATH = bin;
  try {
    const { log } = await activated({ settings });
    const [listener] = log.configListeners;
    listener({ affectsConfiguration: (name) => name === "editor.fontSize" });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(log.clients.length, 1, "an unrelated setting does not restart");
    settings.debounce = 300;
    listener({ affectsConfiguration: (name) => name === "rosc.debounce" });
    await log.commands.get("rosc.restartServer")();
    assert.equal(log.clients.length, 3, "the change and the restart command each start a new client");
    assert.equal(log.clients[0].running, false);
    assert.equal(log.clients[1].running, false);
    assert.equal(log.clients[2].running, true);
    assert.equal(log.clients[2].clientOptions.initializationOptions.debounce, 300);
  } finally {
    process.env.PATH = saved;
  }
});

test("deactivate stops the server", async () => {
  const { log, extension } = await activated();
  await extension.deactivate();
  assert.equal(log.clients[0].running, false);
});

test("the commands the manifest declares are the ones registered", async () => {
  const { log } = await activated();
  const declared = manifest.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual([...log.commands.keys()].sort(), declared);
});

test("the folding provider serves routeros documents", async () => {
  const { log } = await activated();
  const [{ selector, provider }] = log.folding;
  assert.equal(selector, "routeros");
  const lines = ["/ip address", "add address=1.1.1.1/32", "add address=2.2.2.2/32", "# a", "# b", "/system identity", "set name=x"];
  const document = { lineCount: lines.length, lineAt: (n) => ({ text: lines[n] }) };
  const ranges = provider.provideFoldingRanges(document);
  assert.deepEqual(
    ranges.map((r) => [r.start, r.end, r.kind]),
    [
      [0, 2, undefined],
      [3, 4, 1],
      [5, 6, undefined],
    ],
  );
});
