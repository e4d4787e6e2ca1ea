// Finding the rosc executable the `rosc.path` setting names. No VS Code API
// here, so test/executable.test.mjs runs it under plain Node.

import * as fs from "fs";
import * as path from "path";

export interface LookupEnvironment {
  /** Environment variables; PATH (Path on Windows) and PATHEXT are read. */
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /** The user's home folder, for a leading `~`. */
  home: string;
  /** The first workspace folder, for `${workspaceFolder}` and relative paths. */
  workspaceFolder?: string;
}

/** Expands `~`, `${userHome}` and `${workspaceFolder}` in a `rosc.path` value. */
export function expandSetting(value: string, lookup: LookupEnvironment): string {
  let result = value.trim();
  result = result.replace(/\$\{userHome\}/g, lookup.home);
  if (lookup.workspaceFolder !== undefined) {
    result = result.replace(/\$\{workspaceFolder\}/g, lookup.workspaceFolder);
  }
  if (result === "~" || result.startsWith("~/") || (lookup.platform === "win32" && result.startsWith("~\\"))) {
    result = lookup.home + result.slice(1);
  }
  return result;
}

function pathModule(platform: NodeJS.Platform): path.PlatformPath {
  return platform === "win32" ? path.win32 : path.posix;
}

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (platform !== "win32") fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The files that `command` may be, in the order they are tried: a command
 * with a path separator is taken as a path (relative ones from the workspace
 * folder); a bare name is looked up in each folder of the PATH, with the
 * PATHEXT endings on Windows.
 */
export function candidateFiles(command: string, lookup: LookupEnvironment): string[] {
  const p = pathModule(lookup.platform);
  const expanded = expandSetting(command, lookup);
  if (expanded === "") return [];
  const isWindows = lookup.platform === "win32";
  const extensions = isWindows
    ? ["", ...(lookup.env.PATHEXT ?? ".COM;.EXE;.BAT;.CMD").split(";").filter((e) => e !== "")]
    : [""];
  const withExtensions = (base: string): string[] =>
    isWindows && p.extname(base) !== "" ? [base] : extensions.map((ext) => base + ext);

  const hasSeparator = expanded.includes("/") || (isWindows && expanded.includes("\\"));
  if (hasSeparator || p.isAbsolute(expanded)) {
    const base = p.isAbsolute(expanded) ? expanded : p.resolve(lookup.workspaceFolder ?? process.cwd(), expanded);
    return withExtensions(base);
  }
  const searchPath = (isWindows ? lookup.env.Path ?? lookup.env.PATH : lookup.env.PATH) ?? "";
  return searchPath
    .split(p.delimiter)
    .filter((dir) => dir !== "")
    .flatMap((dir) => withExtensions(p.join(dir.replace(/^"(.*)"$/, "$1"), expanded)));
}

/** The file `command` runs (see candidateFiles), or undefined when there is none. */
export function findExecutable(command: string, lookup: LookupEnvironment): string | undefined {
  return candidateFiles(command, lookup).find((file) => isExecutableFile(file, lookup.platform));
}

/** The message shown when `rosc.path` names nothing that can run. */
export function missingExecutableMessage(setting: string): string {
  const what = setting.trim() === "" ? "rosc.path is empty" : `"${setting}" was not found`;
  const where = /[\\/]/.test(setting) ? "" : " on the PATH VS Code was started with";
  return (
    `rosc: cannot start the RouterOS language server: ${what}${where}. ` +
    "Install rosc (pip install rosc, or pipx install rosc) or set the rosc.path setting " +
    "to the full path of the rosc executable (the output of `command -v rosc`, or `where rosc` on Windows). " +
    "Syntax highlighting and folding work without it."
  );
}
