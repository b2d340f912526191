// Proves that the layer rules of DESIGN §3 in eslint.config.js bite: each forbidden import is linted
// as it would be in a real file at that path.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const eslint = new ESLint({ cwd: root });

async function ruleErrors(rule: string, file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message);
}

async function restrictedImportErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it('the engine must not import electron', async () => {
    const errors = await restrictedImportErrors(
      'src-main/engine/scheduler/bad.ts',
      "import { app } from 'electron';\nexport const x = app;\n",
    );
    expect(errors.join()).toContain('Only src-main/app may import electron');
  });

  it('the engine must not import the Electron glue', async () => {
    const errors = await restrictedImportErrors(
      'src-main/engine/bad.ts',
      "import { x } from '../app/tray';\nexport const y = x;\n",
    );
    expect(errors).toHaveLength(1);
  });

  it('the renderer must not import src-main', async () => {
    const errors = await restrictedImportErrors(
      'src-renderer/bad.ts',
      "import { createEngine } from '../src-main/engine/engine';\nexport const e = createEngine;\n",
    );
    expect(errors.join()).toContain('imports only src-shared');
  });

  it('the renderer must not import Node built-ins', async () => {
    const errors = await restrictedImportErrors(
      'src-renderer/bad.ts',
      "import fs from 'node:fs';\nexport const f = fs;\n",
    );
    expect(errors).toHaveLength(1);
  });

  it('src-shared must not import Node, Electron or other layers', async () => {
    expect(
      await restrictedImportErrors('src-shared/bad.ts', "import path from 'path';\nexport const p = path;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(
        'src-shared/bad.ts',
        "import { ipcMain } from 'electron';\nexport const i = ipcMain;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(
        'src-shared/bad.ts',
        "import { x } from '../src-main/engine/engine';\nexport const y = x;\n",
      ),
    ).toHaveLength(1);
  });

  it('simple-git is imported only by runGit, so every git process passes the command policy', async () => {
    const code = "import { simpleGit } from 'simple-git';\nexport const g = simpleGit;\n";
    for (const file of ['src-main/engine/workspaces/bad.ts', 'src-main/cli/bad.ts', 'src-main/app/bad.ts']) {
      expect((await restrictedImportErrors(file, code)).join()).toContain('git runs only through runGit');
    }
    expect(await restrictedImportErrors('src-main/engine/git/run-git.ts', code)).toEqual([]);
  });

  it('allowed imports stay clean', async () => {
    expect(
      await restrictedImportErrors('src-main/app/ok.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toEqual([]);
    expect(
      await restrictedImportErrors(
        'src-renderer/ok.ts',
        "import { z } from 'zod';\nimport { x } from '../src-shared/config/schema';\nexport const y = [z, x];\n",
      ),
    ).toEqual([]);
  });

  it('raw Electron IPC only in the adapter: ipcMain and ipcRenderer imports elsewhere in the app are refused', async () => {
    const ipcMain = "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n";
    expect((await restrictedImportErrors('src-main/app/tray.ts', ipcMain)).join()).toContain(
      'Raw Electron IPC lives only in src-main/app/ipc-adapter.ts',
    );
    expect(
      await restrictedImportErrors(
        'src-main/app/windows.ts',
        "import { ipcRenderer } from 'electron';\nexport const r = ipcRenderer;\n",
      ),
    ).toHaveLength(1);
    // The adapter and the preload bridge are where it belongs; other Electron imports stay allowed.
    expect(await restrictedImportErrors('src-main/app/ipc-adapter.ts', ipcMain)).toEqual([]);
    expect(
      await restrictedImportErrors(
        'src-main/app/preload.ts',
        "import { contextBridge, ipcRenderer } from 'electron';\nexport const b = [contextBridge, ipcRenderer];\n",
      ),
    ).toEqual([]);
    expect(
      await restrictedImportErrors(
        'src-main/app/main.ts',
        "import { app, Notification } from 'electron';\nexport const a = [app, Notification];\n",
      ),
    ).toEqual([]);
  });

  it('raw webContents.send outside the adapter is refused', async () => {
    const send =
      "import { BrowserWindow } from 'electron';\nexport function push(w: BrowserWindow) {\n  w.webContents.send('status:changed', {});\n}\n";
    expect((await ruleErrors('no-restricted-syntax', 'src-main/app/main.ts', send)).join()).toContain(
      'never with raw webContents.send',
    );
    expect(
      await ruleErrors(
        'no-restricted-syntax',
        'src-main/app/tray.ts',
        "export function push(webContents: { send(c: string): void }) {\n  webContents.send('x');\n}\n",
      ),
    ).toHaveLength(1);
    expect(await ruleErrors('no-restricted-syntax', 'src-main/app/ipc-adapter.ts', send)).toEqual([]);
  });
});
