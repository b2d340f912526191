// What only a face needs (the status line, task and review change events) is computed only while
// someone listens: a CLI `run` or a bench has no face, and the status recompute and the change scan
// cost several milliseconds per attempt. A face that subscribes later misses nothing: the first look
// after it subscribes publishes the status and every change since the last look. Real SQLite file.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventName } from '../../../src-shared/api/names';
import { loadConfig } from '../config/config-file';
import { renderDefaultConfigYaml } from '../config/default-config-yaml';
import { createEngine } from '../engine';
import { createTempDir, createTempRepo } from '../git/testing/temp-repo';
import { until } from '../testing/until';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('events only a face needs', () => {
  it('are not computed while nobody listens, and reach a face that subscribes later', async () => {
    const home = await createTempDir('nocturnal-consumers-');
    const repo = await createTempRepo({ files: { 'test.js': 'process.exit(0);\n' } });
    cleanups.push(
      () => home.cleanup(),
      () => repo.cleanup(),
    );
    fs.writeFileSync(path.join(home.path, 'config.yaml'), renderDefaultConfigYaml());
    const env = {};
    const engine = createEngine({
      home: home.path,
      env,
      config: loadConfig({ home: home.path, env }),
      watchIntervalMs: 40,
    });
    cleanups.push(() => engine.stop());
    await engine.start();
    const workspace = await engine.workspaces.add({ path: repo.path, name: 'calc', checks: { test: 'node test.js' } });
    const statusReads = vi.spyOn(engine.store.sessions, 'list');
    const signatureScans = vi.spyOn(engine.store.db, 'prepare');

    // A progress step schedules a status recompute (50 ms later); the watcher looks every 40 ms.
    const task = engine.tasks.add({ workspace: workspace.name, title: 'Fix add()' });
    engine.events.publish('session:progress', { type: 'paused', reason: 'nobody is listening' });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(statusReads).not.toHaveBeenCalled();
    expect(signatureScans.mock.calls.filter(([sql]) => sql.includes('group_concat'))).toEqual([]);

    // A face subscribes: the next look publishes the task added before, and the next status.
    const seen: { event: EventName; payload: unknown }[] = [];
    engine.events.onAny((event, payload) => seen.push({ event, payload }));
    const changed = await until('task:changed for the task added while nobody listened', () =>
      seen.find((e) => e.event === 'task:changed'),
    );
    expect(changed.payload).toMatchObject({ origin: 'engine', task: { id: task.id, status: 'queued' } });
    engine.events.publish('session:progress', { type: 'paused', reason: 'a face is listening' });
    const status = await until('status:changed', () => seen.find((e) => e.event === 'status:changed'));
    expect(status.payload).toMatchObject({ home: home.path, queue: { queued: 1 } });
    expect(statusReads).toHaveBeenCalled();
  });
});
