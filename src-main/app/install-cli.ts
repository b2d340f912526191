// "Install command line tool…": gathers the facts planCliInstall() needs, asks before changing
// anything, does what the plan says and shows the result. Electron glue only; the rules are in
// cli-install-plan.ts (tested).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dialog } from 'electron';
import { planCliInstall } from './cli-install-plan';
import type { CliInstallFacts, CliInstallPlan } from './cli-install-plan';

export async function installCommandLineTool(): Promise<void> {
  const plan = planCliInstall(gatherFacts());
  if (plan.action === 'none') {
    await dialog.showMessageBox({ type: 'info', message: 'Command line tool', detail: plan.message });
    return;
  }
  if (plan.action === 'refuse') {
    dialog.showErrorBox('The command line tool was not installed', plan.message);
    return;
  }
  const { response } = await dialog.showMessageBox({
    type: 'question',
    buttons: ['Install', 'Cancel'],
    defaultId: 0,
    cancelId: 1,
    message: 'Install the `nocturnal` command?',
    detail: `This creates ${plan.target}.`,
  });
  if (response !== 0) return;
  try {
    apply(plan);
  } catch (error) {
    dialog.showErrorBox(
      'The command line tool was not installed',
      `${plan.target}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return;
  }
  await dialog.showMessageBox({ type: 'info', message: 'Command line tool installed', detail: plan.message });
}

function apply(plan: Extract<CliInstallPlan, { action: 'link' | 'write' }>): void {
  fs.mkdirSync(path.dirname(plan.target), { recursive: true });
  if (plan.action === 'write') {
    fs.writeFileSync(plan.target, plan.content);
    return;
  }
  // The plan only relinks a link of this app's (checked when the facts were read).
  fs.rmSync(plan.target, { force: true });
  fs.symlinkSync(plan.source, plan.target);
}

function gatherFacts(): CliInstallFacts {
  const homeDir = os.homedir();
  const localAppData = process.env['LOCALAPPDATA'] ?? null;
  const candidates = ['/usr/local/bin', path.join(homeDir, '.local', 'bin')];
  const targets =
    process.platform === 'win32'
      ? localAppData === null
        ? []
        : [path.win32.join(localAppData, 'Microsoft', 'WindowsApps', 'nocturnal.cmd')]
      : candidates.map((dir) => path.posix.join(dir, 'nocturnal'));
  const existing: CliInstallFacts['existing'] = {};
  for (const target of targets) {
    const found = readExisting(target);
    if (found) Object.assign(existing, { [target]: found });
  }
  return {
    platform: process.platform,
    resourcesPath: process.resourcesPath,
    homeDir,
    localAppData,
    pathEntries: (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean),
    writableDirs: candidates.filter(isWritableDir),
    existing,
  };
}

function readExisting(target: string): { linkTarget: string } | { content: string } | null {
  try {
    if (fs.lstatSync(target).isSymbolicLink()) return { linkTarget: fs.readlinkSync(target) };
    return { content: fs.readFileSync(target, 'utf8') };
  } catch {
    return null;
  }
}

function isWritableDir(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
