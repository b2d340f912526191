// The same morning inside the real desktop app, driven through Playwright's Electron support: the
// preload bridge carries the API, the engine runs in the main process over a temporary home, and the
// loopback scripted model answers. Needs the Electron binary (and a display, e.g. xvfb-run, on Linux).
import { _electron as electron } from '@playwright/test';
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
      env: Object.fromEntries(Object.entries(night.env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
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
