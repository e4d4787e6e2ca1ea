// Builds syntaxes/routeros.tmLanguage.json, the TextMate grammar of the
// extension, from the named fragments below.
//
//   node scripts/build-grammar.mjs          write the grammar
//   node scripts/build-grammar.mjs --check  exit 1 if the committed file differs
//
// The grammar mirrors the project's Pygments lexer (rosc/pygments_lexer.py)
// state for state, so that VS Code and `pygmentize -l routeros` colour a file
// the same way (tests/test_vscode_extension.py compares them character by
// character):
//
//   Pygments state        TextMate rule
//   command (root, block, cmdsub)   #command (inside #block, #substitution)
//   path                  #menu-path, nested at the start of a statement
//   args                  the meta.statement regions (#statement-*)
//   value                 #value-after-key, #value-after-operator
//   expr                  #expression
//   string                #string
//
// How the two engines are made to agree:
// * Pygments tries the rules of a state in order at the current position and
//   takes the first that matches there; TextMate takes the pattern whose match
//   starts first, the first listed on a tie. Every context below therefore
//   ends in a catch-all (or, for Pygments' `default(...)` transitions, in an
//   end pattern that always matches, tried last with applyEndPatternLast), so
//   some pattern always matches at the current position and the order decides,
//   as in Pygments.
// * Whitespace rules are kept even where they give no scope: in Pygments they
//   keep a state from falling through to its default.
// * TextMate sees one line at a time, with "\n" appended. The Pygments
//   lexer's `\Z` (end of input) alternatives are dropped: the appended "\n"
//   already satisfies the `\s` beside them. A rule may consume that "\n" (line
//   continuations do, and then the statement goes on on the next line), so no
//   end pattern may match the empty string at the very end of a line (no `$`).
// * A Pygments `default` that moves to a new state without consuming
//   anything is a zero-width begin in TextMate; vscode-textmate gives up on
//   the rest of a line when a rule is pushed and popped at one position, so
//   a zero-width begin is only used where its first pattern always consumes.
// * Character classes use WS where Pygments has `\s` (see below).
//
// Where the engines still differ (tests/test_vscode_extension.py excuses
// exactly these): a backslash that ends a file without a final newline is a
// continuation here (the appended "\n") and plain text for Pygments; and a
// quoted variable name ($"..." or :local "...") that is never closed runs to
// the end of the file here, while Pygments, finding no closing quote, reads
// `$` or `:local` and then a string. A lone CR is a line break in VS Code's
// text model, so the tests give Pygments a line break there too.

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "..", "syntaxes", "routeros.tmLanguage.json");

// --- regular-expression fragments (the names of rosc/pygments_lexer.py) ----

// Inside a character class: what Python's `\s` (which the Pygments lexer
// uses) matches. Oniguruma's `\s` lacks the separators U+001C..U+001F.
const WS = "\\s\\x1c-\\x1f";

// Menu commands (after a path or at the start of a line).
const COMMANDS = [
  "add", "set", "remove", "print", "export", "import", "find", "get", "edit",
  "enable", "disable", "comment", "move", "reset", "unset", "monitor", "run",
  "reboot", "shutdown", "ping", "traceroute", "fetch", "flush", "save", "load",
  "upgrade", "sign", "check-for-updates", "install", "download", "make-static",
  "release", "renew", "reset-counters", "reset-counters-all",
  "reset-configuration", "monitor-traffic", "blink", "cable-test", "scan",
  "bandwidth-test", "torch", "start", "stop", "send", "listen", "clear",
];
// Longest first, so the alternation reads like what it matches; the
// lookahead after it makes the order irrelevant to the result.
const COMMAND = `(?:${[...COMMANDS].sort((a, b) => b.length - a.length || a.localeCompare(b)).join("|")})`;
const COMMAND_AT_STATEMENT = `${COMMAND}(?=[${WS};\\[\\]{}])`;
const COMMAND_IN_PATH = `${COMMAND}(?=[${WS};\\[\\]{}/])`;

// A value token must end here (keeps `6to4` or `1.2.3.4abc` one word).
const END = `(?=[${WS};,\\[\\]{}()\\\\"=<>!+*/%&|^~-])`;
const HEX4 = "[0-9A-Fa-f]{1,4}";
const IPV4 = "(?:\\d{1,3}\\.){3}\\d{1,3}";
const IPV4_PREFIX = `${IPV4}(?:/(?:${IPV4}|\\d{1,2}))?`;
const IPV6 = `(?:[0-9A-Fa-f]{0,4}:){2,7}(?:${IPV4}|${HEX4})?(?:/\\d{1,3})?`;
const MAC = "[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}";
const CLOCK = "\\d+:\\d{2}:\\d{2}(?:\\.\\d+)?";
const DURATION = "(?:\\d+(?:\\.\\d+)?(?:ms|us|ns|[wdhms]))+";
const DATE = "(?:\\d{4}-\\d{2}-\\d{2}|[A-Za-z]{3}/\\d{2}/\\d{4})";
// Bare (unquoted) word: stops at blanks and at RouterOS syntax characters.
const BARE = `[^${WS}"\\[\\]{}()$;\\\\=,]+`;
const WORD_ENDS_PATH = `(?=[${WS}/;\\[\\]{}])`;

const S = (name) => `${name}.routeros`;

// --- rule builders ----------------------------------------------------------

const match = (re, name) => (name ? { match: re, name: S(name) } : { match: re });
const include = (name) => ({ include: `#${name}` });

// A line continuation outside strings: backslash, optional blanks, end of line.
const continuation = {
  match: "(\\\\)([ \\t]*\\r?\\n)",
  captures: { 1: { name: S("punctuation.separator.continuation.line") } },
};

// A quoted variable name, $"my var" or :local "my var": Pygments' QUOTED,
// "(?:[^"\\]|\\[\s\S])*", which may span lines, hence a region.
const quotedName = (begin, name) => ({
  name: S(name),
  begin,
  end: '"',
  patterns: [{ match: "\\\\[\\s\\S]" }],
});

// A statement is Pygments' `args` state: it ends at the end of the line, at
// `;`, or before the `]` or `}` that closes the enclosing block (which then
// closes that block, as Pygments' `#pop:2` does).
const statement = (begin, beginCaptures, patterns, comment) => ({
  comment,
  name: S("meta.statement"),
  begin,
  ...(beginCaptures ? { beginCaptures } : {}),
  end: "(\\r?\\n)|(;)|(?=[\\]}])",
  endCaptures: { 2: { name: S("punctuation.terminator.statement") } },
  patterns,
});

// Pygments' `value` state: one item after `key=`, `=` or `~` (a list a,b or a
// range a-b is one value); it ends, without consuming, at the first character
// that none of its rules takes (a blank, `]`, `}`, `)`, `;` or a continuation).
const value = (begin, beginCaptures, comment) => ({
  comment,
  name: S("meta.value"),
  begin,
  beginCaptures,
  end: "(?=[\\s\\S])",
  applyEndPatternLast: true,
  patterns: [
    include("values"),
    match(`[^${WS}"\\[\\]{}()$;\\\\,]+`, "string.unquoted.value"),
    match("\\\\(?![ \\t]*\\r?\\n)[\\s\\S]", "constant.character.escape"),
  ],
});

const grammar = {
  $schema: "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
  information_for_contributors: [
    "Generated by scripts/build-grammar.mjs from the fragments there; edit that file and run `npm run build:grammar`.",
    "It mirrors rosc/pygments_lexer.py; tests/test_vscode_extension.py checks that the two agree.",
  ],
  name: "RouterOS",
  scopeName: "source.routeros",
  fileTypes: ["rsc"],
  patterns: [include("command")],
  repository: {
    command: {
      comment: "Command position: the start of a line, after ';', inside '{ }' or '[ ]'.",
      patterns: [
        match("\\r?\\n"),
        match("[ \\t\\r\\f\\v]+"),
        continuation,
        include("comment"),
        match(";", "punctuation.terminator.statement"),
        include("block"),
        include("substitution"),
        match("[}\\]]", "punctuation.section.bracket.end.unmatched"),
        match("\\)", "punctuation.section.parens.end.unmatched"),
        include("statement-declaration"),
        include("statement-declaration-quoted"),
        include("statement-scripting"),
        include("statement-absolute-path"),
        include("statement-menu-command"),
        include("statement-relative-path"),
        include("statement-other"),
      ],
    },
    comment: {
      patterns: [
        {
          comment: "/export header: '# jan/02/1970 00:00:00 by RouterOS 6.48', '# software id = ...'",
          match: "#[ \\t]*[\\w/-]+[ \\t]+[\\d:]+[ \\t]+by RouterOS\\b[^\\r\\n]*",
          name: S("comment.line.number-sign.export-header"),
        },
        match("#[ \\t]*(?:software id|model|serial number)[ \\t]*=[^\\r\\n]*", "comment.line.number-sign.export-header"),
        match("#[^\\r\\n]*", "comment.line.number-sign"),
      ],
    },
    block: {
      comment: "{ ... } — a block of commands (Pygments' `block` state). ']' closes it too, as in Pygments.",
      name: S("meta.block"),
      begin: "\\{",
      beginCaptures: { 0: { name: S("punctuation.section.block.begin") } },
      end: "[}\\]]",
      endCaptures: { 0: { name: S("punctuation.section.block.end") } },
      patterns: [include("command")],
    },
    substitution: {
      comment: "[ ... ] — command substitution (Pygments' `cmdsub` state). '}' closes it too, as in Pygments.",
      name: S("meta.substitution"),
      begin: "\\[",
      beginCaptures: { 0: { name: S("punctuation.section.substitution.begin") } },
      end: "[}\\]]",
      endCaptures: { 0: { name: S("punctuation.section.substitution.end") } },
      patterns: [include("command")],
    },
    "statement-declaration": statement(
      "(:(?:local|global|set|foreach|for|onerror))([ \\t]+)([A-Za-z_]\\w*)",
      { 1: { name: S("keyword.control") }, 3: { name: S("variable.other.declaration") } },
      [include("args")],
      ":local/:global/:set/:foreach/:for/:onerror NAME ...",
    ),
    "statement-declaration-quoted": statement(
      '(:(?:local|global|set|foreach|for|onerror))([ \\t]+)(?=")',
      { 1: { name: S("keyword.control") } },
      [quotedName("\\G\"", "variable.other.declaration"), include("args")],
      ':local "NAME" ... (the name may span lines, as in Pygments)',
    ),
    "statement-scripting": statement(
      ":[A-Za-z][\\w-]*",
      { 0: { name: S("keyword.control") } },
      [include("args")],
      "A scripting command: :put, :if, :do, :while, :return ...",
    ),
    "statement-absolute-path": statement(
      `(?=/|\\.\\.(?=[${WS}/;\\]}]))`,
      null,
      [include("menu-path"), include("args")],
      "An absolute (/ip firewall filter) or parent (..) menu path, then its command and arguments.",
    ),
    "statement-menu-command": statement(
      COMMAND_AT_STATEMENT,
      { 0: { name: S("keyword.other.command") } },
      [include("args")],
      "A menu command without a path (add, set, print ...).",
    ),
    "statement-relative-path": statement(
      "(?=[A-Za-z][\\w.-]*(?=[ \\t]+[A-Za-z]|[ \\t]*/))",
      null,
      [include("menu-path"), include("args")],
      "A relative menu path (ip address add ...).",
    ),
    "statement-other": statement(
      "(?=[\\s\\S])",
      null,
      [include("args")],
      "Anything else at command position is read as arguments (Pygments: default('args')).",
    ),
    "menu-path": {
      comment:
        "Pygments' `path` state: menu words up to the command; only at the start of a statement (\\G). " +
        "Ends at a command (consumed) or, without consuming, at anything else.",
      name: S("meta.path"),
      begin: "\\G(?:/|\\.\\.|[A-Za-z][\\w.-]*)",
      beginCaptures: { 0: { name: S("entity.name.namespace") } },
      end: `(${COMMAND_IN_PATH})|(?=[\\s\\S])`,
      endCaptures: { 1: { name: S("keyword.other.command") } },
      applyEndPatternLast: true,
      patterns: [
        match("[ \\t]+"),
        continuation,
        match("/", "entity.name.namespace"),
        match(`\\.\\.(?=[${WS}/;\\]}])`, "entity.name.namespace"),
        match(`(?!${COMMAND_IN_PATH})[\\w.-]+${WORD_ENDS_PATH}`, "entity.name.namespace"),
      ],
    },
    args: {
      comment: "Pygments' `args` state: the arguments of a command.",
      patterns: [
        match("[ \\t\\r\\f\\v]+"),
        continuation,
        match("\\)", "punctuation.section.parens.end.unmatched"),
        value(
          "([.\\w][\\w.-]*)(=|~|!=)",
          { 1: { name: S("entity.other.attribute-name") }, 2: { name: S("keyword.operator.assignment") } },
          "key=value, key~value, key!=value",
        ),
        value("=|~", { 0: { name: S("keyword.operator.assignment") } }, "=value without a key"),
        match(`(?:where|and|or|not|in)${END}`, "keyword.operator.word"),
        include("values"),
        match(BARE, "string.unquoted.argument"),
        match("[\\s\\S]", "punctuation.other"),
      ],
    },
    values: {
      comment: "Items that may appear in arguments, values and expressions.",
      patterns: [
        include("string"),
        quotedName('\\$"', "variable.other"),
        match("\\$\\w+", "variable.other"),
        match("\\$", "variable.other"),
        include("substitution"),
        include("block"),
        include("expression"),
        match(`(?:yes|no|true|false)${END}`, "constant.language.boolean"),
        match(`${DATE}${END}`, "constant.numeric.time.date"),
        match(`${MAC}${END}`, "constant.numeric.hex.mac-address"),
        match(`${CLOCK}${END}`, "constant.numeric.time.clock"),
        match(`${IPV4_PREFIX}${END}`, "constant.numeric.address.ipv4"),
        match(`${IPV6}${END}`, "constant.numeric.address.ipv6"),
        match(`${DURATION}${END}`, "constant.numeric.time.duration"),
        match(`0x[0-9A-Fa-f]+${END}`, "constant.numeric.hex"),
        match(`\\*[0-9A-Fa-f]+${END}`, "constant.numeric.hex.item-id"),
        match(`\\d+\\.\\d+${END}`, "constant.numeric.float"),
        match(`\\d+${END}`, "constant.numeric.integer"),
        match("->", "keyword.operator"),
        match("!", "keyword.operator"),
        match("-(?=[\\d:])", "keyword.operator"),
        match(",", "punctuation.separator.comma"),
      ],
    },
    expression: {
      comment: "( ... ) — an expression (Pygments' `expr` state); it may span lines.",
      name: S("meta.expression"),
      begin: "\\(",
      beginCaptures: { 0: { name: S("punctuation.section.parens.begin") } },
      end: "\\)",
      endCaptures: { 0: { name: S("punctuation.section.parens.end") } },
      patterns: [include("expression-body")],
    },
    "expression-body": {
      patterns: [
        match(`[${WS}]+`),
        continuation,
        include("values"),
        match("(?:and|or|not|in)\\b", "keyword.operator.word"),
        match("!=|<=|>=|&&|\\|\\||<<|>>|->|[<>=+\\-*/%.~^&|]", "keyword.operator"),
        match("[A-Za-z_][\\w-]*", "string.unquoted.argument"),
        match("[\\s\\S]", "punctuation.other"),
      ],
    },
    string: {
      comment: '"..." — a quoted string (Pygments\' `string` state); it may span lines.',
      name: S("string.quoted.double"),
      begin: '"',
      beginCaptures: { 0: { name: S("punctuation.definition.string.begin") } },
      end: '"',
      endCaptures: { 0: { name: S("punctuation.definition.string.end") } },
      patterns: [
        {
          comment: "/export wraps long strings with a backslash at the end of the line",
          match: "\\\\[ \\t]*\\r?\\n",
          name: S("constant.character.escape.line-continuation"),
        },
        match("\\\\[0-9A-Fa-f]{2}", "constant.character.escape.hex"),
        match('\\\\["\\\\nrt$?_abfv]', "constant.character.escape"),
        { comment: "any other backslash pair is plain text", match: "\\\\[\\s\\S]" },
        include("interpolated-substitution"),
        include("interpolated-expression"),
        match("\\$\\w+", "variable.other.interpolated"),
      ],
    },
    "interpolated-substitution": {
      comment: "$[ ... ] inside a string. Pygments: '$[' is String.Interpol, the closing bracket Punctuation.",
      contentName: S("meta.embedded.line.substitution"),
      begin: "\\$\\[",
      beginCaptures: { 0: { name: S("punctuation.section.interpolation.begin") } },
      end: "[}\\]]",
      endCaptures: { 0: { name: S("punctuation.section.interpolation.end") } },
      patterns: [include("command")],
    },
    "interpolated-expression": {
      comment: "$( ... ) inside a string. Pygments: '$(' is String.Interpol, ')' Punctuation.",
      contentName: S("meta.embedded.line.expression"),
      begin: "\\$\\(",
      beginCaptures: { 0: { name: S("punctuation.section.interpolation.begin") } },
      end: "\\)",
      endCaptures: { 0: { name: S("punctuation.section.interpolation.end") } },
      patterns: [include("expression-body")],
    },
  },
};

const text = JSON.stringify(grammar, null, 2) + "\n";
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(OUT, "utf8");
  } catch {
    // reported below
  }
  if (current !== text) {
    console.error(`${OUT} is not what scripts/build-grammar.mjs builds: run \`npm run build:grammar\``);
    process.exit(1);
  }
} else {
  writeFileSync(OUT, text);
}
