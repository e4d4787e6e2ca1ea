// The extension's settings and the server's initializationOptions
// (docs/editors.md, "Server options"). No VS Code API here, so
// test/settings.test.mjs runs it under plain Node.

/** Reads one setting; `vscode.WorkspaceConfiguration.get` fits. */
export type SettingReader = <T>(name: string, defaultValue: T) => T;

export interface ServerInitializationOptions {
  debounce: number;
  incremental: boolean;
  lab: boolean;
}

export const DEFAULTS: ServerInitializationOptions = { debounce: 150, incremental: true, lab: true };

/** The settings that are sent to the server when it starts: a change restarts it. */
export const SERVER_SETTINGS = ["rosc.path", "rosc.debounce", "rosc.incremental", "rosc.lab"];

/** Builds the initializationOptions from the `rosc.*` settings. */
export function initializationOptions(get: SettingReader): ServerInitializationOptions {
  const debounce = Number(get<number>("debounce", DEFAULTS.debounce));
  return {
    debounce: Number.isFinite(debounce) && debounce >= 0 ? debounce : DEFAULTS.debounce,
    incremental: Boolean(get<boolean>("incremental", DEFAULTS.incremental)),
    lab: Boolean(get<boolean>("lab", DEFAULTS.lab)),
  };
}
