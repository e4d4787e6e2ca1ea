// The rosc extension: RouterOS language support for VS Code. The grammar and
// the language configuration are declared in package.json; this starts the
// rosc language server (`rosc lsp`, over stdio) and adds menu-section folding.

import * as os from "os";
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from "vscode-languageclient/node";
import { findExecutable, missingExecutableMessage } from "./executable";
import { foldingRanges } from "./folding";
import { initializationOptions, SERVER_SETTINGS } from "./settings";

const LANGUAGE = "routeros";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
// start() and stop() run one at a time, in the order they were asked for
let pending: Promise<void> = Promise.resolve();

function serialized(task: () => Promise<void>): Promise<void> {
  pending = pending.then(task, task);
  return pending;
}

function workspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

async function startClient(): Promise<void> {
  const config = vscode.workspace.getConfiguration("rosc");
  const setting = config.get<string>("path", "rosc");
  const command = findExecutable(setting, {
    env: process.env,
    platform: process.platform,
    home: os.homedir(),
    workspaceFolder: workspaceFolder(),
  });
  if (command === undefined) {
    const message = missingExecutableMessage(setting);
    output?.appendLine(message);
    void vscode.window.showErrorMessage(message, "Open Settings").then((choice) => {
      if (choice === "Open Settings") void vscode.commands.executeCommand("workbench.action.openSettings", "rosc.path");
    });
    return;
  }

  const serverOptions: ServerOptions = {
    command,
    args: ["lsp"],
    transport: TransportKind.stdio,
    options: { cwd: workspaceFolder() },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: LANGUAGE },
      { scheme: "untitled", language: LANGUAGE },
    ],
    initializationOptions: initializationOptions((name, defaultValue) => config.get(name, defaultValue)),
    outputChannel: output,
  };
  // The id "rosc" makes the client read the rosc.trace.server setting.
  const created = new LanguageClient("rosc", "rosc language server", serverOptions, clientOptions);
  client = created;
  output?.appendLine(`starting ${command} lsp`);
  try {
    await created.start();
  } catch (err) {
    client = undefined;
    const reason = err instanceof Error ? err.message : String(err);
    const message = `rosc: the language server (${command} lsp) did not start: ${reason}`;
    output?.appendLine(message);
    void vscode.window.showErrorMessage(message, "Show Output").then((choice) => {
      if (choice === "Show Output") output?.show(true);
    });
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    try {
      await running.stop();
    } catch (err) {
      output?.appendLine(`rosc: stopping the language server failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

export function restart(): Promise<void> {
  return serialized(async () => {
    await stopClient();
    await startClient();
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("rosc");
  context.subscriptions.push(
    output,
    vscode.languages.registerFoldingRangeProvider(LANGUAGE, {
      provideFoldingRanges(document) {
        const lines: string[] = [];
        for (let n = 0; n < document.lineCount; n++) lines.push(document.lineAt(n).text);
        return foldingRanges(lines).map(
          (fold) =>
            new vscode.FoldingRange(
              fold.start,
              fold.end,
              fold.kind === "comment" ? vscode.FoldingRangeKind.Comment : undefined,
            ),
        );
      },
    }),
    vscode.commands.registerCommand("rosc.restartServer", () => restart()),
    vscode.commands.registerCommand("rosc.showOutput", () => output?.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (SERVER_SETTINGS.some((name) => event.affectsConfiguration(name))) void restart();
    }),
  );
  await restart();
}

export function deactivate(): Promise<void> {
  return serialized(stopClient);
}
