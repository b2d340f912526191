import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Attempt, Task } from '../../../src-shared/domain/records';
import { KnowledgeVault } from './knowledge-vault';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-vault-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const task = { id: 't1', title: 'Fix add()', description: 'add subtracts', criteria: ['add(2, 3) is 5'] } as Task;
const attempt: Attempt = {
  id: 't1-1',
  taskId: 't1',
  sessionId: null,
  number: 1,
  worktreePath: null,
  baseCommit: null,
  headCommit: null,
  targetBranch: 'nocturnal/integration',
  checksBefore: null,
  cycles: 0,
  mergedCommit: null,
  backupRef: null,
  reviewNote: null,
  spec: null,
  status: 'merged',
  decision: 'merge',
  score: 0.98,
  branch: 'nocturnal/t1/1',
  startedAt: '2026-11-24T23:00:00.000Z',
  endedAt: '2026-11-24T23:05:00.000Z',
  scoreBreakdown: {
    checks: 1,
    progress: 1,
    review: 0.9,
    scope: 1,
    weights: { checks: 0.5, progress: 0.15, review: 0.2, scope: 0.15 },
    contributions: { checks: 0.5, progress: 0.15, review: 0.18, scope: 0.15 },
    cap: 0,
    gates: [],
    total: 0.98,
  },
  checksAfter: [
    { name: 'test', command: 'node test.js', passed: true, exitCode: 0, timedOut: false, durationMs: 5, output: '' },
  ],
  diff: { files: 1, insertions: 1, deletions: 1, paths: ['math.js'] },
  reasons: ['score 0.98 ≥ 0.85: merged', 'token=supersecretvalue leaked'],
};

describe('the knowledge vault', () => {
  it('creates a workspace note template once, and reads only what the user wrote, redacted', async () => {
    const vault = new KnowledgeVault({ enabled: true, root });
    const file = await vault.ensureWorkspaceNote({ name: 'calc' });
    expect(file).toBe(path.join(root, 'workspaces', 'calc.md'));
    expect(await vault.workspaceNotes({ name: 'calc' })).toBeNull();
    fs.appendFileSync(file ?? '', 'Use CommonJS. Run tests with node test.js.\napi_key = sk-abcdefghijklmnopqrstuv\n');
    await vault.ensureWorkspaceNote({ name: 'calc' });
    const notes = await vault.workspaceNotes({ name: 'calc' });
    expect(notes).toContain('Use CommonJS');
    expect(notes).not.toContain('sk-abcdefghijklmnopqrstuv');
  });

  it('writes an attempt note with front matter, a link to the workspace and the reasons', async () => {
    const vault = new KnowledgeVault({ enabled: true, root });
    const file = await vault.writeAttemptNote(task, attempt, { name: 'calc' });
    expect(file).toBe(path.join(root, 'attempts', '2026-11-24', 't1-1.md'));
    const text = fs.readFileSync(file ?? '', 'utf8');
    expect(text).toMatch(/^---\ntask: t1\nattempt: t1-1\n/);
    expect(text).toContain('[[workspaces/calc]]');
    expect(text).toContain('- test (`node test.js`): pass');
    expect(text).toContain('score 0.98 ≥ 0.85: merged');
    expect(text).not.toContain('supersecretvalue');
  });

  it('does nothing when knowledge.enabled is false', async () => {
    const vault = new KnowledgeVault({ enabled: false, root });
    expect(await vault.ensureWorkspaceNote({ name: 'calc' })).toBeNull();
    expect(await vault.writeAttemptNote(task, attempt, { name: 'calc' })).toBeNull();
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
