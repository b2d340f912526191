// A full session on the embedded provider: the real node-llama-cpp binding with the tiny
// random-weight GGUF that scripts/ generates. Its replies are schema-valid nonsense, so this proves
// the pipeline's plumbing and failure handling with a real model, not the quality of the edits:
// every task must end in a final state with a reason, and the user's checkout must be untouched.
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../scripts/tiny-model-fixture';
import type { Task } from '../../src-shared/domain/records';
import { finalTaskStatuses } from '../../src-shared/domain/task';
import type { SessionReport } from '../engine/report/session-report';
import { createNightFixture, unexpectedStderr } from './testing/night-fixture';
import type { NightFixture } from './testing/night-fixture';

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

describe('a night on the embedded llama.cpp provider', () => {
  it('works every queued task to a final state with the tiny model', { timeout: 300_000 }, async () => {
    const modelPath = await ensureTinyModel();
    fixture = await createNightFixture({
      respond: () => ({ status: 500, message: 'the OpenAI-compatible server must not be used in this test' }),
      env: {
        NOCTURNAL_LLM_PROVIDER: 'llama',
        NOCTURNAL_LLM_MODEL_PATH: modelPath,
        NOCTURNAL_LLM_GPU: 'false',
        NOCTURNAL_LLM_THREADS: '1',
        NOCTURNAL_LLM_CONTEXT_SIZE: '4096',
        NOCTURNAL_LLM_MAX_TOKENS: '200',
        NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '1',
      },
    });
    const f = fixture;
    expect(
      (await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js', '--no-check')).code,
    ).toBe(0);
    const before = await f.userView();
    const ids: string[] = [];
    for (const title of ['Fix add()', 'Add a subtract() helper']) {
      ids.push((await f.cli('task', 'add', 'calc', title, '--json')).json<{ id: string }>().id);
    }

    const run = await f.cli('run', '--now');
    expect(unexpectedStderr(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('loading the model: 100%');

    for (const id of ids) {
      const task = (await f.cli('task', 'show', id, '--json')).json<Task>();
      expect(finalTaskStatuses.includes(task.status) || task.status === 'review').toBe(true);
      expect(task.attempts).toHaveLength(1);
      expect(task.attempts[0]?.reasons.length).toBeGreaterThan(0);
    }
    const report = (await f.cli('report', '--json')).json<SessionReport>();
    expect(report.session.status).toBe('completed');
    expect(report.session.stats.tasksDone).toBe(2);
    // The model really ran: tokens were generated and recorded against the llama provider.
    expect(report.session.stats.completionTokens).toBeGreaterThan(0);
    expect(f.server.chatRequests).toHaveLength(0);
    expect(await f.userView()).toEqual(before);
  });
});
