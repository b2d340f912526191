// The stores' own logic over a bridge that answers through the shared `dispatch` (the same payload and
// answer checks as every transport). The engine behind them is exercised for real by e2e/morning.spec.ts.
import { beforeEach, describe, expect, it } from 'vitest';
import type { NocturnalBridge } from '../../src-shared/api/bridge';
import { dispatch } from '../../src-shared/api/dispatch';
import type { SomeChannelHandlers } from '../../src-shared/api/dispatch';
import { configSchema, defaultConfig } from '../../src-shared/config/schema';
import type { Attempt, Task } from '../../src-shared/domain/records';
import { createApiClient } from '../api-client';
import { initialAppData, useAppStore } from '../app-store';
import { initialConfigData, useConfigStore } from './config-store';
import { initialReviewData, useReviewStore } from './review-store';
import { initialStatusData, useStatusStore } from './status-store';
import { initialTasksData, useTasksStore } from './tasks-store';

const now = '2026-11-30T06:00:00.000Z';

function task(overrides: Partial<Task> = {}): Task {
  return {
    id: 't1',
    workspace: 'calc',
    workspaceId: 'w1',
    title: 'Fix add',
    description: '',
    criteria: [],
    priority: 'medium',
    executor: 'direct',
    files: [],
    status: 'queued',
    statusReason: null,
    retryNote: null,
    createdAt: now,
    updatedAt: now,
    attempts: [],
    ...overrides,
  };
}

function attempt(overrides: Partial<Attempt> = {}): Attempt {
  return {
    id: 'a1',
    taskId: 't1',
    sessionId: 's1',
    number: 1,
    status: 'review',
    branch: 'nocturnal/t1/1',
    worktreePath: null,
    baseCommit: 'b',
    headCommit: 'h',
    targetBranch: 'nocturnal/integration',
    score: 0.8,
    scoreBreakdown: null,
    decision: 'review',
    reasons: [],
    checksBefore: null,
    checksAfter: null,
    diff: null,
    cycles: 1,
    mergedCommit: null,
    backupRef: null,
    reviewNote: null,
    spec: null,
    startedAt: now,
    endedAt: now,
    ...overrides,
  };
}

/** Records every call in order, so a test can assert what the store asked of the engine. */
function connectWith(handlers: SomeChannelHandlers): string[] {
  const calls: string[] = [];
  const bridge = {
    invoke: (channel: string, payload: unknown) => {
      calls.push(`${channel} ${JSON.stringify(payload)}`);
      return dispatch(channel, payload, handlers, (error) => ({
        type: 'conflict',
        message: error instanceof Error ? error.message : String(error),
      }));
    },
    on: () => () => undefined,
  };
  useAppStore.setState({ client: createApiClient(bridge as NocturnalBridge) });
  return calls;
}

beforeEach(() => {
  useAppStore.setState(initialAppData);
  useTasksStore.setState(initialTasksData);
  useReviewStore.setState(initialReviewData);
  useConfigStore.setState(initialConfigData);
  useStatusStore.setState(initialStatusData);
});

describe('tasks store', () => {
  it('loads, then applies task:changed pushes in place or as new tasks', async () => {
    connectWith({ 'tasks:list': () => [task()] });
    await useTasksStore.getState().load();
    useTasksStore.getState().taskChanged(task({ status: 'running' }));
    useTasksStore.getState().taskChanged(task({ id: 't2', title: 'Second' }));
    const tasks = useTasksStore.getState().tasks;
    expect(tasks.status === 'ready' && tasks.data.map((t) => `${t.id}:${t.status}`)).toEqual([
      't1:running',
      't2:queued',
    ]);
  });

  it('keeps the engine’s refusal as the action error, and says which action failed', async () => {
    connectWith({
      'tasks:list': () => [],
      'tasks:cancel': () => {
        throw new Error('task t9 not found');
      },
    });
    await useTasksStore.getState().load();
    expect(await useTasksStore.getState().cancel('t9')).toBe('The task was not cancelled: task t9 not found');
    expect(useTasksStore.getState().actionError).toBe('The task was not cancelled: task t9 not found');
  });

  it('shows a load failure as an error, never as an empty list', async () => {
    connectWith({
      'tasks:list': () => {
        throw new Error('database is locked');
      },
    });
    await useTasksStore.getState().load();
    expect(useTasksStore.getState().tasks).toEqual({ status: 'error', message: 'database is locked' });
  });
});

describe('review store', () => {
  it('retry of a waiting change rejects it with the note first, then queues the task with the note', async () => {
    let current = attempt();
    const calls = connectWith({
      'review:list': () => [],
      'review:get': () => ({
        item: {
          attemptId: 'a1',
          taskId: 't1',
          title: 'Fix add',
          workspace: 'calc',
          score: 0.8,
          decision: 'review',
          branch: current.branch,
          targetBranch: current.targetBranch,
          reasons: [],
          diff: null,
          endedAt: now,
        },
        task: task({ status: current.status === 'review' ? 'review' : 'queued' }),
        attempt: current,
        diff: null,
        checks: [],
        scoreBreakdown: null,
        review: null,
      }),
      'review:reject': ({ note }) => (current = attempt({ status: 'rejected', reviewNote: note ?? null })),
      'tasks:retry': ({ note }) => task({ status: 'queued', retryNote: note ?? null }),
    });
    await useReviewStore.getState().open('a1');
    expect(await useReviewStore.getState().retry('a1', 't1', ' add a test ')).toBeNull();
    expect(calls.filter((c) => !c.startsWith('review:get') && !c.startsWith('review:list'))).toEqual([
      'review:reject {"attemptId":"a1","note":"add a test"}',
      'tasks:retry {"id":"t1","note":"add a test"}',
    ]);
    expect(useReviewStore.getState().lastNote).toBe('Queued again for the next night with the note: add a test');
    const detail = useReviewStore.getState().detail;
    expect(detail?.status === 'ready' && detail.data.attempt.status).toBe('rejected');
  });

  it('keeps the dialog open with the engine’s reason when approve is refused (a moved target)', async () => {
    connectWith({
      'review:list': () => [],
      'review:approve': () => {
        throw new Error('the target branch moved since the review; retry the task');
      },
    });
    expect(await useReviewStore.getState().approve('a1')).toBe(
      'Not approved: the target branch moved since the review; retry the task',
    );
    expect(useReviewStore.getState().busy).toBe(false);
  });
});

describe('config store', () => {
  it('keeps a refused value’s message on its field until that field saves', async () => {
    let config = defaultConfig();
    connectWith({
      'config:set': ({ path, value }) => {
        const [section = '', key = ''] = path.split('.');
        const next = {
          ...config,
          [section]: { ...(config as Record<string, Record<string, unknown>>)[section], [key]: value },
        };
        const parsed = configSchema.safeParse(next);
        if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
        return (config = parsed.data);
      },
    });
    expect(await useConfigStore.getState().set('quality.auto_approve_threshold', 2)).toBe(false);
    expect(useConfigStore.getState().fieldErrors).toEqual({
      'quality.auto_approve_threshold': 'quality.auto_approve_threshold: Too big: expected number to be <=1',
    });
    expect(await useConfigStore.getState().set('scheduler.start_time', '23:00')).toBe(true);
    expect(Object.keys(useConfigStore.getState().fieldErrors)).toEqual(['quality.auto_approve_threshold']);
    expect(await useConfigStore.getState().set('quality.auto_approve_threshold', 0.9)).toBe(true);
    expect(useConfigStore.getState().fieldErrors).toEqual({});
    const loaded = useConfigStore.getState().config;
    expect(loaded.status === 'ready' && loaded.data.quality.auto_approve_threshold).toBe(0.9);
  });
});

describe('status store', () => {
  it('follows the running task and its stage from session:progress', () => {
    const progress = useStatusStore.getState().progress;
    progress({ type: 'task-started', taskId: 't1', title: 'Fix add', index: 0 });
    progress({
      type: 'attempt',
      progress: { attemptId: 'a1', taskId: 't1', stage: 'check', cycle: 0, message: 'running test' },
    });
    expect(useStatusStore.getState().current).toEqual({
      taskId: 't1',
      title: 'Fix add',
      stage: 'check',
      message: 'running test',
    });
    progress({ type: 'task-finished', taskId: 't1', title: 'Fix add', status: 'merged', score: 0.93, reason: null });
    expect(useStatusStore.getState().current).toBeNull();
    expect(useStatusStore.getState().lastEvent).toBe('Fix add: merged (score 0.93)');
  });
});
