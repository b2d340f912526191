// The tray's rules from engine status: icon state, tooltip and menu, each a pure function of the
// contract's EngineStatus (the same object `status:get` answers), so no Electron is needed here.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineStatusSchema } from '../../src-shared/domain/app-state';
import type { EngineStatus } from '../../src-shared/domain/app-state';
import { emptySessionStats } from '../../src-shared/domain/records';
import type { Session, SessionStats } from '../../src-shared/domain/records';
import { trayIconFile, trayMenuOf, trayStates, trayTooltip, trayViewOf } from './tray-state';

const session = (id: string, status: Session['status'], stats: Partial<SessionStats> = {}): Session => ({
  id,
  startedAt: '2026-01-15T21:00:00.000Z',
  endedAt: status === 'running' ? null : '2026-01-16T05:00:00.000Z',
  status,
  trigger: 'night-window',
  stats: { ...emptySessionStats(), ...stats },
  endReason: null,
});

const complete = {
  complete: true,
  steps: (['model', 'repository', 'night'] as const).map((id) => ({ id, done: true, missing: null, fix: null })),
};

function status(over: Partial<EngineStatus> = {}): EngineStatus {
  return engineStatusSchema.parse({
    home: '/home/u/.config/nocturnal-agent',
    nightMode: { enabled: false, window: { startTime: '22:00', endTime: '06:00', timezone: 'local' } },
    windowOpen: false,
    nextStart: null,
    running: null,
    session: null,
    stopping: false,
    queue: { queued: 0, running: 0, review: 0, merged: 0, rejected: 0, failed: 0, cancelled: 0 },
    waitingReviews: 0,
    lastSession: null,
    provider: 'llama',
    model: null,
    modelLoaded: false,
    setupFailures: [],
    setup: complete,
    ...over,
  });
}

const armed = { enabled: true, window: { startTime: '22:00', endTime: '06:00', timezone: 'local' } };

describe('tray state from engine status', () => {
  it('day, armed, working, attention — attention beats working beats armed beats day', () => {
    expect(trayViewOf(status()).state).toBe('day');
    expect(trayViewOf(status({ nightMode: armed })).state).toBe('armed');
    expect(trayViewOf(status({ nightMode: armed, session: session('s2', 'running') })).state).toBe('working');
    expect(trayViewOf(status({ nightMode: armed, session: session('s2', 'running'), waitingReviews: 2 })).state).toBe(
      'attention',
    );
    expect(trayViewOf(status({ waitingReviews: 1 })).state).toBe('attention');
  });

  it('failures of the last night ask for attention until the next session runs', () => {
    const failedNight = session('s1', 'completed', { tasksDone: 3, failed: 2, merged: 1 });
    expect(trayViewOf(status({ nightMode: armed, lastSession: failedNight }))).toMatchObject({
      state: 'attention',
      failed: 2,
      reportSessionId: 's1',
    });
    expect(trayViewOf(status({ nightMode: armed, lastSession: session('s1', 'failed') }))).toMatchObject({
      state: 'attention',
      failed: 1,
    });
    expect(
      trayViewOf(status({ nightMode: armed, lastSession: failedNight, session: session('s2', 'running') })),
    ).toMatchObject({ state: 'working', failed: 0, reportSessionId: 's2' });
    expect(trayViewOf(status({ nightMode: armed, lastSession: session('s1', 'completed', { merged: 3 }) })).state).toBe(
      'armed',
    );
  });

  it('says what the state means, with the number waiting', () => {
    expect(trayTooltip(trayViewOf(status({ nightMode: armed })))).toBe(
      'Nocturnal Agent — night mode armed: works 22:00–06:00',
    );
    expect(trayTooltip(trayViewOf(status()))).toBe('Nocturnal Agent — night mode off (window 22:00–06:00)');
    expect(
      trayTooltip(trayViewOf(status({ waitingReviews: 3, lastSession: session('s1', 'completed', { failed: 1 }) }))),
    ).toBe('Nocturnal Agent — needs your attention: 3 changes waiting, 1 failed last night');
    expect(trayTooltip(trayViewOf(status({ session: session('s2', 'running'), stopping: true })))).toBe(
      'Nocturnal Agent — stopping after this task',
    );
  });

  it('menu: night mode, run now, stop after this task, N changes waiting, window, data folder, free model memory, quit', () => {
    const idle = trayMenuOf(
      trayViewOf(
        status({
          nightMode: armed,
          waitingReviews: 2,
          modelLoaded: true,
          lastSession: session('s1', 'completed', { review: 2 }),
        }),
      ),
    );
    expect(idle).toEqual([
      { id: 'night-mode', label: 'Night mode', enabled: true, checked: true },
      { id: 'window', label: 'Night window 22:00–06:00', enabled: false },
      { separator: true },
      { id: 'run-now', label: 'Run now', enabled: true },
      { id: 'stop', label: 'Stop after this task', enabled: false },
      { id: 'changes-waiting', label: '2 changes waiting…', enabled: true },
      { separator: true },
      { id: 'open-window', label: 'Open window', enabled: true },
      { id: 'open-data-folder', label: 'Open data folder', enabled: true },
      { id: 'free-model', label: 'Free model memory', enabled: true },
      { separator: true },
      { id: 'quit', label: 'Quit', enabled: true },
    ]);

    const working = trayMenuOf(trayViewOf(status({ session: session('s2', 'running'), modelLoaded: true })));
    expect(working.find((e) => 'id' in e && e.id === 'run-now')).toMatchObject({ enabled: false });
    expect(working.find((e) => 'id' in e && e.id === 'stop')).toMatchObject({
      label: 'Stop after this task',
      enabled: true,
    });
    // The model is in use: freeing it would break the session.
    expect(working.find((e) => 'id' in e && e.id === 'free-model')).toMatchObject({ enabled: false });
    expect(working.some((e) => 'id' in e && e.id === 'changes-waiting')).toBe(false);

    const stopping = trayMenuOf(trayViewOf(status({ session: session('s2', 'running'), stopping: true })));
    expect(stopping.find((e) => 'id' in e && e.id === 'stop')).toMatchObject({
      label: 'Stopping after this task…',
      enabled: false,
    });
    expect(
      trayMenuOf(trayViewOf(status({ waitingReviews: 1 }))).find((e) => 'id' in e && e.id === 'changes-waiting'),
    ).toMatchObject({ label: '1 change waiting…' });
  });

  it('an incomplete setup puts "Finish setup…" first, naming what is missing; a complete one leaves it out', () => {
    const setup = {
      complete: false,
      steps: [
        { id: 'model' as const, done: false, missing: 'no model yet', fix: 'run `nocturnal init`' },
        { id: 'repository' as const, done: false, missing: 'no repository yet', fix: 'add one' },
        { id: 'night' as const, done: true, missing: null, fix: null },
      ],
    };
    const menu = trayMenuOf(trayViewOf(status({ setup })));
    expect(menu.slice(0, 3)).toEqual([
      { id: 'finish-setup', label: 'Finish setup… (no model yet, no repository yet)', enabled: true },
      { separator: true },
      { id: 'night-mode', label: 'Night mode', enabled: true, checked: false },
    ]);
    expect(trayMenuOf(trayViewOf(status())).some((e) => 'id' in e && e.id === 'finish-setup')).toBe(false);
  });

  it('has a committed 1x and 2x icon for every state', () => {
    const assets = path.resolve(import.meta.dirname, '../../assets');
    for (const state of trayStates) {
      const file = trayIconFile(state);
      expect(fs.existsSync(path.join(assets, file)), file).toBe(true);
      expect(fs.existsSync(path.join(assets, file.replace('.png', '@2x.png'))), file).toBe(true);
    }
  });
});
