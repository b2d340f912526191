// Resource gating at session level with an injected sampler (a battery and a saturated CPU cannot be
// produced on demand here): the session pauses new work, says why, and resumes when it recovers.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-shared/config/schema';
import { createEngine } from '../engine';
import type { Engine } from '../engine';
import { createTempDir, createTempRepo } from '../git/testing/temp-repo';
import type { TempRepo } from '../git/testing/temp-repo';
import { scriptedSampler } from '../safety/resources/scripted-sampler';
import type { SessionProgress } from './session-runner';

let engine: Engine | undefined;
let repo: TempRepo | undefined;
let home: { path: string; cleanup(): Promise<void> } | undefined;
afterEach(async () => {
  await engine?.stop();
  await repo?.cleanup();
  await home?.cleanup();
});

async function setUp(sampler: ReturnType<typeof scriptedSampler>) {
  repo = await createTempRepo();
  home = await createTempDir('nocturnal-home-');
  const base = defaultConfig();
  const config = {
    ...base,
    llm: { ...base.llm, provider: 'openai' as const, api_url: 'http://127.0.0.1:9/v1', max_retries: 0 },
    scheduler: { ...base.scheduler, check_interval_s: 1 },
  };
  engine = createEngine({ home: home.path, config, env: {}, resourceSampler: sampler });
  const workspace = await engine.workspaces.add({ path: repo.path, checks: { test: 'true' } });
  engine.tasks.add({ workspace: workspace.name, title: 'x' });
  return engine;
}

describe('resource gating in a session', () => {
  it('pauses on battery and resumes on AC, recording the pause in the session', async () => {
    const sampler = scriptedSampler({ powerState: { hasBattery: true, onAc: false } });
    const e = await setUp(sampler);
    const events: SessionProgress[] = [];
    const session = await e.runSession({
      trigger: 'manual',
      onProgress: (event) => {
        events.push(event);
        if (event.type === 'paused') sampler.powerState = { hasBattery: true, onAc: true };
      },
    });
    expect(events.map((ev) => ev.type)).toEqual(expect.arrayContaining(['paused', 'resumed', 'task-finished']));
    expect(session.stats.pauses.join()).toContain('battery');
    expect(session.stats.tasksDone).toBe(1);
    expect(e.store.events.forSession(session.id).map((ev) => ev.type)).toEqual(
      expect.arrayContaining(['session-paused', 'session-resumed']),
    );
  });

  it('ends at the deadline while still paused for CPU, starting no task', async () => {
    const e = await setUp(scriptedSampler({ cpu: [99] }));
    const session = await e.runSession({ trigger: 'manual', until: new Date(Date.now() + 1500) });
    expect(session.stats.tasksDone).toBe(0);
    expect(session.endReason).toContain('safety.max_cpu_percent');
    expect(session.stats.peakCpuPercent).toBe(99);
    expect(e.tasks.list()[0]?.status).toBe('queued');
  });
});
