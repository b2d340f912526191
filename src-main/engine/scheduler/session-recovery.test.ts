// A session killed mid-attempt (power loss, kill -9) must not leave a task stuck in `running`, a
// stale worktree or a session that claims to still run.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-shared/config/schema';
import { createEngine } from '../engine';
import type { Engine } from '../engine';
import { createTempDir, createTempRepo } from '../git/testing/temp-repo';
import type { TempRepo } from '../git/testing/temp-repo';
import { addWorktree } from '../git/worktree-add';
import { scriptedSampler } from '../safety/resources/scripted-sampler';

let engine: Engine | undefined;
let repo: TempRepo | undefined;
let home: { path: string; cleanup(): Promise<void> } | undefined;
afterEach(async () => {
  await engine?.stop();
  await repo?.cleanup();
  await home?.cleanup();
});

describe('session recovery', () => {
  it('marks a crashed attempt interrupted, removes its worktree and requeues its task', async () => {
    repo = await createTempRepo({ files: { 'a.txt': 'a\n' } });
    home = await createTempDir('nocturnal-home-');
    const config = { ...defaultConfig(), llm: { ...defaultConfig().llm, provider: 'openai' as const, api_url: 'http://127.0.0.1:9/v1' } };
    engine = createEngine({ home: home.path, config, env: {}, resourceSampler: scriptedSampler() });
    const workspace = await engine.workspaces.add({ path: repo.path, checks: { test: 'true' } });
    const task = engine.tasks.add({ workspace: workspace.name, title: 'x' });

    // What a crash leaves behind: a running session, a running attempt with its worktree.
    const now = new Date();
    const crashed = engine.store.sessions.start({ trigger: 'manual', settings: {} }, now);
    engine.store.tasks.transition(task.id, 'running', now);
    const attempt = engine.store.attempts.start({ taskId: task.id, sessionId: crashed.id, branchPrefix: 'nocturnal', targetBranch: 'nocturnal/integration' }, now);
    const worktree = path.join(engine.paths.worktrees, workspace.id, attempt.id);
    expect((await addWorktree({ repoPath: repo.path, worktreePath: worktree, ownedRoot: engine.paths.worktrees, branch: attempt.branch, base: 'main' })).kind).toBe('created');
    engine.store.attempts.update(attempt.id, { worktreePath: worktree });

    // The next session recovers, then works the requeued task (it fails: no model server there).
    const session = await engine.runSession({ trigger: 'manual', maxTasks: 1 });
    expect(engine.store.sessions.get(crashed.id)?.status).toBe('stopped');
    expect(engine.store.attempts.get(attempt.id)?.status).toBe('interrupted');
    expect(fs.existsSync(worktree)).toBe(false);
    const after = engine.tasks.show(task.id);
    expect(after.attempts.map((a) => a.status)).toEqual(['interrupted', 'failed']);
    expect(after.attempts[1]?.reasons.join()).toMatch(/127\.0\.0\.1:9|connect|reach/i);
    expect(session.status).toBe('completed');
  });
});
