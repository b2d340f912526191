// The desktop's rules through its ports, on a real host (real engine, git, SQLite, sandboxed checks,
// loopback model server) with a recording UI and notification centre instead of Electron: tray menu
// actions, notifications that open the morning report, the login item following config.yaml.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src-shared/config/schema';
import { createNightFixture, editsReply, reviewReply } from '../cli/testing/night-fixture';
import type { NightFixture } from '../cli/testing/night-fixture';
import type { ScriptedReply } from '../engine/llm/testing/loopback-openai-server';
import { startEngineHost } from '../host/engine-host';
import type { EngineHost } from '../host/engine-host';
import { presentNotification } from './desktop-notifications';
import type { NotificationPort } from './desktop-notifications';
import { syncLoginItem } from './login-item';
import { runTrayAction } from './tray-actions';
import type { DesktopUi } from './tray-actions';
import { trayViewOf } from './tray-state';

let fixture: NightFixture | undefined;
let host: EngineHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
  await fixture?.cleanup();
  fixture = undefined;
});

/** Fixes `add` when the prompt shows the bug; the review asks for a test when the diff adds none. */
function cautiousModel(schema: string, prompt: string): ScriptedReply {
  if (schema === 'nocturnal_edits') {
    return prompt.includes('return a - b;')
      ? editsReply(
          [{ path: 'math.js', action: 'replace', search: '  return a - b;', replace: '  return a + b;' }],
          'fix add',
        )
      : editsReply([], 'nothing to fix');
  }
  return prompt.includes('+++ b/test.js') ? reviewReply(0.95) : reviewReply(0.2, 'revise', ['no test covers the fix']);
}

function recordingUi(): DesktopUi & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    openWindow: () => calls.push('window'),
    openReport: (id) => calls.push(`report ${id ?? 'latest'}`),
    openSetup: () => calls.push('setup'),
    openDataFolder: () => calls.push('data folder'),
    showError: (title, message) => calls.push(`error ${title}: ${message}`),
    quit: () => calls.push('quit'),
  };
}

function recordingNotifications(): NotificationPort & { shown: { title: string; body: string; click: () => void }[] } {
  const shown: { title: string; body: string; click: () => void }[] = [];
  return { shown, show: (content, onClick) => shown.push({ ...content, click: onClick }) };
}

async function setUp(env: NodeJS.ProcessEnv = {}) {
  fixture = await createNightFixture({
    respond: cautiousModel,
    env: { NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '0', ...env },
  });
  const f = fixture;
  expect((await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js')).code).toBe(0);
  const ui = recordingUi();
  const centre = recordingNotifications();
  host = await startEngineHost({
    home: f.home,
    env: f.env,
    kind: 'electron',
    schedule: false,
    ports: { notify: (n) => presentNotification(n, centre, ui) },
  });
  return { f, h: host, ui, centre };
}

describe('desktop rules through the ports', () => {
  it(
    'run now → a change waits for review → notification and tray attention, both opening that report',
    { timeout: 120_000 },
    async () => {
      const { f, h, ui, centre } = await setUp();
      expect((await f.cli('task', 'add', 'calc', 'Fix add()', '--file', 'math.js')).code).toBe(0);
      expect(trayViewOf(h.snapshot().status).state).toBe('armed');

      await runTrayAction('run-now', trayViewOf(h.snapshot().status), h, ui);
      const session = h.snapshot().status.lastSession;
      expect(session).toMatchObject({ trigger: 'manual', stats: { review: 1, tasksDone: 1 } });
      // A manual run: no end-of-night summary, only what needs the user.
      expect(centre.shown.map((n) => n.title)).toEqual(['1 change waiting for review']);
      expect(ui.calls).toEqual([]);

      centre.shown[0]?.click();
      expect(ui.calls).toEqual([`report ${session?.id}`]);

      const view = trayViewOf(h.snapshot().status);
      expect(view).toMatchObject({ state: 'attention', waiting: 1, reportSessionId: session?.id });
      await runTrayAction('changes-waiting', view, h, ui);
      expect(ui.calls).toEqual([`report ${session?.id}`, `report ${session?.id}`]);
    },
  );

  it('night mode from the tray writes config.yaml through the host, and the tray turns from armed to day', async () => {
    const { f, h, ui } = await setUp();
    fs.writeFileSync(path.join(f.home, 'config.yaml'), '# my settings\nscheduler:\n  night_mode: true\n');
    await runTrayAction('night-mode', trayViewOf(h.snapshot().status), h, ui, false);
    expect(fs.readFileSync(path.join(f.home, 'config.yaml'), 'utf8')).toBe(
      '# my settings\nscheduler:\n  night_mode: false\n',
    );
    expect(trayViewOf(h.snapshot().status).state).toBe('day');
    expect(ui.calls).toEqual([]);
  });

  it('a refused action is shown to the user, not swallowed', async () => {
    const { h, ui } = await setUp({ NOCTURNAL_SCHEDULER_NIGHT_MODE: 'true' });
    await runTrayAction('night-mode', trayViewOf(h.snapshot().status), h, ui, false);
    expect(ui.calls).toEqual([
      expect.stringMatching(
        /^error Night mode was not changed: scheduler.night_mode is set by the environment variable NOCTURNAL_SCHEDULER_NIGHT_MODE=true/,
      ),
    ]);
  });

  it('window, finish setup, data folder, stop with nothing running, free model with none loaded, quit', async () => {
    const { h, ui } = await setUp();
    const view = trayViewOf(h.snapshot().status);
    for (const id of ['open-window', 'finish-setup', 'open-data-folder', 'stop', 'free-model', 'quit'] as const)
      await runTrayAction(id, view, h, ui);
    expect(ui.calls).toEqual(['window', 'setup', 'data folder', 'quit']);
    expect(h.snapshot().status.modelLoaded).toBe(false);
  });

  it('a notification without a report opens the window', () => {
    const ui = recordingUi();
    const centre = recordingNotifications();
    presentNotification({ kind: 'budget_alerts', title: 'Nocturnal Agent budget', body: '80% spent' }, centre, ui);
    centre.shown[0]?.click();
    expect(ui.calls).toEqual(['window']);
  });

  it('the login item follows app.open_at_login, writing only when it differs', () => {
    let system = false;
    const writes: boolean[] = [];
    const port = { get: () => system, set: (open: boolean) => (writes.push(open), (system = open)) };
    const config = (open: boolean) => ({ app: { open_at_login: open } }) as Config;
    expect(syncLoginItem(config(false), port)).toBe(false);
    expect(syncLoginItem(config(true), port)).toBe(true);
    expect(syncLoginItem(config(true), port)).toBe(false);
    expect(syncLoginItem(config(false), port)).toBe(true);
    expect(writes).toEqual([true, false]);
  });
});
