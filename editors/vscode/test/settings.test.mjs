// Unit tests of src/settings.ts (compiled to out/settings.js).
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";

const { initializationOptions, DEFAULTS, SERVER_SETTINGS } = createRequire(import.meta.url)("../out/settings.js");
const reader = (values) => (name, defaultValue) => (name in values ? values[name] : defaultValue);

test("defaults are the server's documented defaults", () => {
  assert.deepEqual(DEFAULTS, { debounce: 150, incremental: true, lab: true });
  assert.deepEqual(initializationOptions(reader({})), { debounce: 150, incremental: true, lab: true });
});

test("settings are passed through", () => {
  assert.deepEqual(initializationOptions(reader({ debounce: 400, incremental: false, lab: false })), {
    debounce: 400,
    incremental: false,
    lab: false,
  });
});

test("a negative or non-numeric debounce falls back to the default", () => {
  assert.equal(initializationOptions(reader({ debounce: -5 })).debounce, 150);
  assert.equal(initializationOptions(reader({ debounce: "soon" })).debounce, 150);
});

test("every server setting restarts the server", () => {
  assert.deepEqual(SERVER_SETTINGS, ["rosc.path", "rosc.debounce", "rosc.incremental", "rosc.lab"]);
});
