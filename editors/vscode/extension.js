// The VS Code client of dsc: starts `dsc lsp` over stdio for `.ds` files. Highlighting, brackets
// and comments come from the grammar and the language configuration and work without it.
'use strict';

const childProcess = require('child_process');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { CloseAction, ErrorAction, LanguageClient } = require('vscode-languageclient/node');

/** Restarts allowed after crashes within `CRASH_WINDOW_MS`; one more and the client gives up. */
const MAX_RESTARTS = 3;
const CRASH_WINDOW_MS = 3 * 60 * 1000;

let client;
let output;

/** The command the `dsc.path` setting names (`~` and `${workspaceFolder}` expanded), else `dsc`. */
function serverCommand() {
  const configured = (vscode.workspace.getConfiguration('dsc').get('path') || '').trim();
  if (!configured) {
    return { command: 'dsc', configured: false };
  }
  let command = configured;
  if (command === '~' || command.startsWith('~/')) {
    command = path.join(os.homedir(), command.slice(1));
  }
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (folder) {
    command = command.replace('${workspaceFolder}', folder.uri.fsPath);
  }
  // A bare name (`dsc-dev`) is looked up on the PATH; a relative path is taken from the workspace.
  const relative = !path.isAbsolute(command) && (command.includes('/') || command.includes(path.sep));
  if (relative && folder) {
    command = path.join(folder.uri.fsPath, command);
  }
  return { command, configured: true };
}

/**
 * Runs `COMMAND lsp --help` once, so that a missing binary, one that cannot be run, or a dsc
 * without the `lsp` command is told in one message instead of a client that keeps restarting.
 * Resolves to undefined when the server can be started, else to the message.
 */
function checkServer({ command, configured }) {
  const what = configured ? `\`${command}\` (the \`dsc.path\` setting)` : '`dsc`';
  const start = 'dsc: the language server cannot start:';
  return new Promise((resolve) => {
    childProcess.execFile(command, ['lsp', '--help'], { timeout: 10000 }, (error, _stdout, stderr) => {
      if (!error) {
        resolve(undefined);
      } else if (error.code === 'ENOENT') {
        resolve(configured
          ? `${start} ${what} does not exist. Set \`dsc.path\` to the dsc binary, or clear it to use \`dsc\` from the PATH.`
          : `${start} \`dsc\` is not on the PATH. Install dsc, or set \`dsc.path\` to the binary.`);
      } else if (error.code === 'EACCES' || error.code === 'EISDIR') {
        resolve(`${start} ${what} cannot be run (${error.code}). Set \`dsc.path\` to the dsc binary.`);
      } else if (error.killed) {
        resolve(`${start} \`${command} lsp --help\` did not answer within 10 s.`);
      } else {
        const first = String(stderr || error.message).trim().split('\n')[0];
        resolve(`${start} ${what} has no \`lsp\` command (${first}). Update dsc.`);
      }
    });
  });
}

/** Crashes after a good start restart the server a few times; a server that dies at once does not. */
function errorHandler() {
  const crashes = [];
  let running = false;
  return {
    markRunning() {
      running = true;
    },
    error(_error, _message, count) {
      return { action: count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
    },
    closed() {
      if (!running) {
        // The start failure is already reported once by the client itself.
        return { action: CloseAction.DoNotRestart, handled: true };
      }
      const now = Date.now();
      crashes.push(now);
      while (crashes.length > 0 && now - crashes[0] > CRASH_WINDOW_MS) {
        crashes.shift();
      }
      if (crashes.length > MAX_RESTARTS) {
        return {
          action: CloseAction.DoNotRestart,
          message: `dsc: the language server stopped ${crashes.length} times in 3 minutes and will not be restarted. See the "dsc" output; run "dsc: Restart the language server" to try again.`,
        };
      }
      return { action: CloseAction.Restart, handled: true };
    },
  };
}

async function startClient() {
  const server = serverCommand();
  const problem = await checkServer(server);
  if (problem) {
    output.appendLine(problem);
    const choice = await vscode.window.showErrorMessage(problem, 'Open Settings');
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'dsc.path');
    }
    return;
  }
  const handler = errorHandler();
  const serverOptions = { command: server.command, args: ['lsp'] };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'ds' },
      { scheme: 'untitled', language: 'ds' },
    ],
    outputChannel: output,
    errorHandler: handler,
  };
  // The id 'dsc' makes the client read the `dsc.trace.server` setting.
  try {
    client = new LanguageClient('dsc', 'dsc', serverOptions, clientOptions);
    await client.start();
    handler.markRunning();
  } catch (error) {
    output.appendLine(`dsc: the language server did not start: ${error && error.message}`);
    client = undefined;
  }
}

async function stopClient() {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output.appendLine(`dsc: stopping the language server failed: ${error && error.message}`);
    }
  }
}

async function restartClient() {
  await stopClient();
  await startClient();
}

function activate(context) {
  output = vscode.window.createOutputChannel('dsc');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('dsc.restartServer', restartClient),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('dsc.path')) {
        void restartClient();
      }
    }),
  );
  return startClient();
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate };
