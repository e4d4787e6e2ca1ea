// Unit tests of src/folding.ts (compiled to out/folding.js).
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";

const { foldingRanges } = createRequire(import.meta.url)("../out/folding.js");
const fold = (text) => foldingRanges(text.split("\n"));

test("menu sections fold from the header to their last command", () => {
  const text = [
    "# addresses", //            0
    "/ip address", //            1
    "add address=1.1.1.1/30", // 2
    "add address=2.2.2.2/30", // 3
    "", //                       4
    "# the client", //           5
    "/ip dhcp-client", //        6
    "add interface=ether1", //   7
    "/system identity set name=core", // 8: a one-line section
    "", //                       9
  ].join("\n");
  assert.deepEqual(fold(text), [
    { start: 1, end: 3 },
    { start: 6, end: 7 },
  ]);
});

test("comment lines inside a section stay in it", () => {
  const text = "/ip route\nadd gateway=1.1.1.1\n# backup\nadd gateway=2.2.2.2 distance=2\n";
  assert.deepEqual(fold(text), [{ start: 0, end: 3 }]);
});

test("blocks fold to the line before their closing brace", () => {
  const text = [
    ':if ($x > 3) do={', //    0
    '  :put "big"', //         1
    '  :put "really"', //      2
    '} else={', //             3
    '  :put "small"', //       4
    '  :put "tiny"', //        5
    '}', //                    6
    ':foreach i in={1;2} do={ :put $i }', // 7: one line, no fold
  ].join("\n");
  assert.deepEqual(fold(text), [
    { start: 0, end: 2 },
    { start: 3, end: 5 },
  ]);
});

test("braces, quotes and slashes in strings, escapes and continuations do not count", () => {
  const text = [
    '/system script', //                                      0
    'add name=a source="{\\', //                              1: string continues
    '/ip address print', //                                   2: inside the string
    '}"', //                                                  3
    'add name=b comment=\\{ \\', //                           4: escaped brace, continuation
    '    /not-a-header=1', //                                 5: continues line 4
    ':put "x" # not a comment line', //                       6
  ].join("\n");
  assert.deepEqual(fold(text), [{ start: 0, end: 6 }]);
});

test("runs of comment lines fold as comments", () => {
  const text = "# one\n# two\n  # three\n:put 1\n# alone\n";
  assert.deepEqual(fold(text), [{ start: 0, end: 2, kind: "comment" }]);
});

test("nested blocks inside a section", () => {
  const text = [
    "/system script", //                  0
    "add name=s source={", //             1
    "  :if (true) do={", //               2
    "    :put 1", //                      3
    "    :put 2", //                      4
    "  }", //                             5
    "}", //                               6
  ].join("\n");
  assert.deepEqual(fold(text), [
    { start: 0, end: 6 },
    { start: 1, end: 5 },
    { start: 2, end: 4 },
  ]);
});
