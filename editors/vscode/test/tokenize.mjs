// Tokenizes RouterOS text with the extension's TextMate grammar, using the
// engine VS Code itself uses: vscode-textmate on vscode-oniguruma (WASM).
//
//   node test/tokenize.mjs < request.json > result.json
//       request: {"files": [{"name": "...", "text": "..."}, ...]}
//       result:  {"scopes": [scope, ...],
//                 "files": [{"name", "lines", "classes", "stoppedEarly"}, ...],
//                 "ms": total tokenizing time}
//     `classes` has one character per code point of the text: the character
//     with code 0x30 + i stands for the innermost scope scopes[i] of the token
//     that covers that code point ("" for the line breaks between lines, which
//     are not part of any line in VS Code).
//
//   node test/tokenize.mjs --dump FILE
//       prints each token with its full scope list, for people.
//
// Lines are split as VS Code splits them (CRLF, CR or LF) and each line is
// tokenized with the state the previous one ended in, as the editor does.
// tests/test_vscode_extension.py drives this script.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const GRAMMAR = join(HERE, "..", "syntaxes", "routeros.tmLanguage.json");

const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

async function loadGrammar() {
  const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== "source.routeros") return null;
      return vsctm.parseRawGrammar(readFileSync(GRAMMAR, "utf8"), GRAMMAR);
    },
  });
  const grammar = await registry.loadGrammar("source.routeros");
  if (!grammar) throw new Error(`cannot load ${GRAMMAR}`);
  return grammar;
}

/** Yields [line, terminator] pairs as VS Code's text model splits a file. */
function* splitLines(text) {
  const re = /\r\n|\r|\n/g;
  let start = 0;
  let m;
  while ((m = re.exec(text)) !== null) {
    yield [text.slice(start, m.index), m[0]];
    start = m.index + m[0].length;
  }
  yield [text.slice(start), ""];
}

/** Calls onToken(lineText, token) for every token of every line. */
function tokenize(grammar, text, onToken) {
  let state = vsctm.INITIAL;
  let lines = 0;
  let stoppedEarly = 0;
  for (const [line, terminator] of splitLines(text)) {
    const result = grammar.tokenizeLine(line, state);
    if (result.stoppedEarly) stoppedEarly++;
    for (const token of result.tokens) onToken(line, token, terminator);
    state = result.ruleStack;
    lines++;
  }
  return { lines, stoppedEarly };
}

/** Classes (innermost scopes) of each code point of `text`; see the header. */
function classes(grammar, text, scopeIds, scopes) {
  const idOf = (scope) => {
    let id = scopeIds.get(scope);
    if (id === undefined) {
      id = scopes.length;
      scopes.push(scope);
      scopeIds.set(scope, id);
    }
    return String.fromCharCode(0x30 + id);
  };
  const out = [];
  let state = vsctm.INITIAL;
  let lines = 0;
  let stoppedEarly = 0;
  for (const [line, terminator] of splitLines(text)) {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    lines++;
    if (result.stoppedEarly) stoppedEarly++;
    const units = new Array(line.length).fill(null);
    for (const token of result.tokens) {
      const cls = idOf(token.scopes[token.scopes.length - 1]);
      for (let i = token.startIndex; i < Math.min(token.endIndex, line.length); i++) units[i] = cls;
    }
    for (let i = 0; i < line.length; i++) {
      const code = line.charCodeAt(i);
      out.push(units[i] ?? idOf("(no token)"));
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < line.length) i++;
    }
    for (let i = 0; i < terminator.length; i++) out.push(idOf(""));
  }
  return { lines, stoppedEarly, classes: out.join("") };
}

async function main() {
  const grammar = await loadGrammar();
  const args = process.argv.slice(2);
  if (args[0] === "--dump") {
    const text = new TextDecoder("utf-8").decode(readFileSync(args[1]));
    tokenize(grammar, text, (line, token) => {
      const value = line.slice(token.startIndex, token.endIndex);
      console.log(`${JSON.stringify(value).padEnd(28)} ${token.scopes.slice(1).join(" ")}`);
    });
    return;
  }
  const request = JSON.parse(readFileSync(0, "utf8"));
  const scopes = [];
  const scopeIds = new Map();
  const files = [];
  const started = performance.now();
  for (const { name, text } of request.files) {
    files.push({ name, ...classes(grammar, text, scopeIds, scopes) });
  }
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ scopes, files, ms }));
}

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exit(1);
});
