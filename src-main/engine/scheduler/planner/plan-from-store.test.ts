// The plan as `nocturnal status` shows it, from a real home: history and the model's speed read from
// the SQLite ledger, the window from the config.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../cli/testing/run-cli-in-process';
import { openStore } from '../../store/store';
import { prior } from './estimate-task';
import { speedFromStore } from './plan-from-store';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-plan-'));
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

function fillHome(): { big: string; small: string } {
  // A 24-hour window: the plan covers the next 24 hours from now.
  fs.writeFileSync(
    path.join(home, 'config.yaml'),
    "llm:\n  provider: openai\n  model: planner-model\n  context_size: 8192\nscheduler:\n  start_time: '00:00'\n  end_time: '00:00'\n  timezone: UTC\n",
  );
  const store = openStore(path.join(home, 'nocturnal.db'));
  try {
    const past = new Date(Date.now() - 3 * 86_400_000);
    const w1 = store.workspaces.add(
      { name: 'big', path: '/repos/big', baseBranch: 'main', targetBranch: 'nocturnal/integration', checks: {} },
      past,
    );
    const w2 = store.workspaces.add(
      { name: 'fresh', path: '/repos/fresh', baseBranch: 'main', targetBranch: 'nocturnal/integration', checks: {} },
      past,
    );
    const task = (workspaceId: string, title: string, priority: 'high' | 'low') =>
      store.tasks.add(
        { workspaceId, title, description: '', criteria: [], priority, executor: 'direct', files: [] },
        past,
      );
    // One finished attempt in w1: 1,000,000 tokens over 27.8 h of model time, 28 h in all → 10 tok/s.
    const done = task(w1.id, 'earlier work', 'low');
    store.tasks.transition(done.id, 'running', past);
    const attempt = store.attempts.start(
      { taskId: done.id, sessionId: null, branchPrefix: 'nocturnal', targetBranch: 'nocturnal/integration' },
      past,
    );
    store.usage.record(
      {
        sessionId: null,
        taskId: done.id,
        attemptId: attempt.id,
        provider: 'openai',
        model: 'planner-model',
        promptTokens: 5000,
        completionTokens: 1_000_000,
        cachedTokens: 0,
        durationMs: 100_000_000,
        costUsd: 0,
        energyWh: 0,
        free: true,
      },
      past,
    );
    store.attempts.transition(attempt.id, 'rejected', new Date(past.getTime() + 28 * 3_600_000));
    const big = task(w1.id, 'rewrite the parser', 'high');
    const small = task(w2.id, 'fix a typo', 'low');
    return { big: big.id, small: small.id };
  } finally {
    store.close();
  }
}

describe('the night plan in `nocturnal status`', () => {
  it('estimates from the workspace history at the measured speed, uses the stated prior elsewhere, and says what fits', async () => {
    const { big, small } = fillHome();
    const json = await runCliCaptured(['--home', home, 'status', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const plan = (
      JSON.parse(json.stdout) as {
        plan: { summary: string; tokensPerSecond: number; contextSize: number; speedBasis: string; tasks: unknown[] };
      }
    ).plan;
    expect(plan).toMatchObject({
      summary: '1 of 2 tasks fit tonight; 1 waits for tomorrow',
      tokensPerSecond: 10,
      contextSize: 8192,
      speedBasis: 'measured over the last 1 call(s) of planner-model',
    });
    const priorTokens = prior.completionTokensPerPass * prior.passes;
    expect(plan.tasks).toEqual([
      {
        taskId: small,
        title: 'fix a typo',
        priority: 'low',
        tokens: priorTokens,
        minutes: Math.round(((priorTokens / 10 + prior.otherSeconds) / 60) * 10) / 10,
        basis: 'prior',
        samples: 0,
        fits: true,
        startsAt: expect.any(String),
      },
      // 100,000 s of model + 800 s outside it: longer than the 24 h window.
      {
        taskId: big,
        title: 'rewrite the parser',
        priority: 'high',
        tokens: 1_000_000,
        minutes: 1680,
        basis: 'history',
        samples: 1,
        fits: false,
        startsAt: null,
      },
    ]);

    const text = await runCliCaptured(['--home', home, 'status']);
    expect(text.stdout).toContain('plan: 1 of 2 tasks fit tonight; 1 waits for tomorrow (window until ');
    expect(text.stdout).toContain(`  fits   fix a typo (${small}, low): ~${priorTokens} tokens`);
    expect(text.stdout).toContain(
      `  waits  rewrite the parser (${big}, high): ~1000000 tokens, ~1680 min, from 1 past attempt(s)`,
    );
  });

  it('leaves the plan out when nothing is queued', async () => {
    const json = await runCliCaptured(['--home', home, 'status', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).not.toHaveProperty('plan');
  });
});

describe("the session's speed", () => {
  it("is tonight's own once the session's model has answered, and the ledger's before that", () => {
    const store = openStore(path.join(home, 'nocturnal.db'));
    try {
      const now = new Date('2026-11-30T22:00:00Z');
      const session = store.sessions.start({ trigger: 'manual', settings: {} }, now);
      const config = {
        scheduler: { start_time: '22:00', end_time: '06:00', timezone: 'UTC' },
        llm: { provider: 'openai', model: 'm', context_size: 4096, max_tokens: 'auto' },
      } as Parameters<typeof speedFromStore>[1];
      const call = (sessionId: string | null, completionTokens: number, durationMs: number) =>
        store.usage.record(
          {
            sessionId,
            taskId: null,
            attemptId: null,
            provider: 'openai',
            model: 'm',
            promptTokens: 1,
            completionTokens,
            cachedTokens: 0,
            durationMs,
            costUsd: 0,
            energyWh: 0,
            free: true,
          },
          now,
        );
      call(null, 100, 10_000); // an earlier night: 10 tok/s
      expect(speedFromStore(store, config, session.id)).toEqual({
        tokensPerSecond: 10,
        contextSize: 4096,
        basis: 'measured over the last 1 call(s) of m',
      });
      call(session.id, 400, 10_000); // tonight: 40 tok/s
      expect(speedFromStore(store, config, session.id)).toEqual({
        tokensPerSecond: 40,
        contextSize: 4096,
        basis: 'measured tonight over the last 1 call(s) of m',
      });
      // Status (no session) reads the ledger: both calls.
      expect(speedFromStore(store, config).tokensPerSecond).toBe(25);
    } finally {
      store.close();
    }
  });
});
