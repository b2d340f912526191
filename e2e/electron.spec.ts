// The same morning inside the real desktop app, driven through Playwright's Electron support: the
// preload bridge carries the API, the engine runs in the main process over a temporary home, and the
// loopback scripted model answers. Needs the Electron binary (and a display, e.g. xvfb-run, on Linux).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron } from '@playwright/test';
import type { ElectronApplication } from '@playwright/test';
import type { E2eHooks } from '../src-main/app/e2e-hooks';
import { createNightFixture, editsReply, reviewReply } from '../src-main/cli/testing/night-fixture';
import type { NightFixture as CliNightFixture } from '../src-main/cli/testing/night-fixture';
import { findElectronBinary } from './support/electron-binary';
import { expect, repoRoot, test } from './support/fixtures';
import { morningFlow } from './support/morning-flow';
import { startNightFixture } from './support/night-server';
import type { NightFixture } from './support/night-server';
import { scriptedCalcModel } from './support/scripted-calc-model';

const binary = findElectronBinary();
const skipReason = 'Electron binary not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD=1): desktop e2e skipped';
// The list reporter does not print skip reasons; say it where a person reading the run will see it.
if (binary === null) console.warn(`[electron] ${skipReason}`);

test.describe('desktop app', () => {
  test.skip(binary === null, skipReason);
  test.setTimeout(300_000);

  test.describe('the window', () => {
    let night: NightFixture;
    test.beforeEach(async () => {
      night = await startNightFixture({ model: scriptedCalcModel });
    });
    test.afterEach(async () => {
      await night?.close();
    });

    test('the morning in the desktop window: queue, run, report, approve, reject with a note, retry, undo', async () => {
      const app = await electron.launch({
        executablePath: binary ?? undefined,
        cwd: repoRoot,
        // Chromium refuses its own sandbox as root (CI containers) unless told.
        args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '.', '--open-window'],
        env: Object.fromEntries(
          Object.entries(night.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
        ),
      });
      try {
        const window = await app.firstWindow();
        const problems: string[] = [];
        window.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
        await morningFlow(window, night, { screenshots: false });
        // Night mode from the header (back from the tray panel's route), written to the home's config.
        await window.evaluate("window.location.hash = '#/report'");
        const status = window.getByRole('region', { name: 'Night status' });
        await status.getByRole('button', { name: 'Arm night mode' }).click();
        await expect(status).toContainText('Armed');
        expect(problems).toEqual([]);
      } finally {
        await app.close();
      }
    });
  });

  test.describe("tray and notifications (through the e2e hooks: native menus and notifications are out of Playwright's reach)", () => {
    let fixture: CliNightFixture | undefined;
    let home: string;
    test.beforeEach(() => {
      home = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-e2e-'));
    });
    test.afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
      fs.rmSync(home, { recursive: true, force: true });
    });

    async function launch(env: NodeJS.ProcessEnv): Promise<ElectronApplication> {
      const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NOCTURNAL_')));
      return electron.launch({
        executablePath: binary ?? undefined,
        cwd: repoRoot,
        args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '.'],
        env: { ...clean, ...env, NOCTURNAL_E2E_HOOKS: '1' },
      });
    }
    const hooks = (app: ElectronApplication) => ({
      trayView: () => app.evaluate(() => (globalThis as unknown as { nocturnalE2e: E2eHooks }).nocturnalE2e.trayView()),
      clickTray: (id: string, checked?: boolean) =>
        app.evaluate(
          (_electron, [item, value]) =>
            (globalThis as unknown as { nocturnalE2e: E2eHooks }).nocturnalE2e.clickTray(
              item as never,
              value as boolean | undefined,
            ),
          [id, checked] as const,
        ),
      notifications: () =>
        app.evaluate(() => (globalThis as unknown as { nocturnalE2e: E2eHooks }).nocturnalE2e.notifications()),
      clickNotification: (index: number) =>
        app.evaluate(
          (_electron, i) => (globalThis as unknown as { nocturnalE2e: E2eHooks }).nocturnalE2e.clickNotification(i),
          index,
        ),
      windowUrls: () =>
        app.evaluate(() => (globalThis as unknown as { nocturnalE2e: E2eHooks }).nocturnalE2e.windowUrls()),
    });

    test('tray state follows night mode, and the tray toggle writes config.yaml', async () => {
      fs.writeFileSync(path.join(home, 'config.yaml'), '# mine\nscheduler:\n  night_mode: true\n');
      const app = await launch({ NOCTURNAL_HOME: home });
      try {
        const h = hooks(app);
        await expect.poll(async () => (await h.trayView()).state).toBe('armed');
        await h.clickTray('night-mode', false);
        await expect.poll(async () => (await h.trayView()).state).toBe('day');
        expect(fs.readFileSync(path.join(home, 'config.yaml'), 'utf8')).toBe(
          '# mine\nscheduler:\n  night_mode: false\n',
        );
      } finally {
        await app.close();
      }
    });

    test('run now from the tray: a change waits for review, the tray asks for attention, and the notification opens the report', async () => {
      test.setTimeout(180_000);
      // The scripted model fixes what the prompt shows; its review asks for a test, so the change waits.
      fixture = await createNightFixture({
        respond: (schema, prompt) =>
          schema === 'nocturnal_edits'
            ? prompt.includes('return a - b;')
              ? editsReply([
                  { path: 'math.js', action: 'replace', search: '  return a - b;', replace: '  return a + b;' },
                ])
              : editsReply([])
            : reviewReply(0.2, 'revise', ['no test covers the fix']),
        env: { NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '0', NOCTURNAL_SCHEDULER_NIGHT_MODE: 'false' },
      });
      const f = fixture;
      expect((await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js')).code).toBe(0);
      expect((await f.cli('task', 'add', 'calc', 'Fix add()', '--file', 'math.js')).code).toBe(0);
      const app = await launch({ ...f.env, NOCTURNAL_HOME: f.home });
      try {
        const h = hooks(app);
        await expect.poll(async () => (await h.trayView()).state).toBe('day');
        await h.clickTray('run-now');
        await expect.poll(async () => (await h.trayView()).state, { timeout: 90_000 }).toBe('attention');
        const view = await h.trayView();
        expect(view.waiting).toBe(1);
        await expect
          .poll(async () => (await h.notifications()).map((n) => n.title))
          .toEqual(['1 change waiting for review']);
        await h.clickNotification(0);
        await expect.poll(async () => (await h.windowUrls()).join()).toContain(`#/report/${view.reportSessionId}`);
      } finally {
        await app.close();
      }
    });
  });
});
