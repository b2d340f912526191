// How many git processes one plain successful attempt spawns (issue 12: each costs a few milliseconds
// on every attempt of the night; 26–27 per attempt before the worktree pool and the batched reads).
// A `git` on PATH that logs each call before running the real one counts every process, whatever
// spawns it. This is a count, not a timing: it does not depend on the machine's speed.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-shared/config/schema';
import { createEngine } from '../engine';
import type { Engine } from '../engine';
import { listWorktrees } from '../git/list-worktrees';
import { createTempDir, createTempRepo } from '../git/testing/temp-repo';
import { startLoopbackOpenAiServer } from '../llm/testing/loopback-openai-server';
import type { LoopbackOpenAiServer } from '../llm/testing/loopback-openai-server';
import { scriptedSampler } from '../safety/resources/scripted-sampler';

const cleanups: (() => Promise<void>)[] = [];
let engine: Engine | undefined;
const originalPath = process.env['PATH'];
afterEach(async () => {
  process.env['PATH'] = originalPath;
  await engine?.stop();
  engine = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Each attempt increments the count the prompt shows it in its own counter file. */
const COUNTERS = ['alpha', 'beta', 'gamma', 'delta'];
// The check: every counter file still holds a count.
const CHECK = `const fs = require('node:fs');\nfor (const name of ${JSON.stringify(COUNTERS)}) {\n  if (!/^count: \\d+\\n$/.test(fs.readFileSync(name + '.txt', 'utf8'))) { console.error(name + ' lost its count'); process.exit(1); }\n}\n`;

// The bound this test holds the engine to, per plain successful attempt, its check's integrity reads
// and restore included. Measured here: 5 — reset the pooled worktree (status, read-tree, update-ref:
// 3), commit (`commit --include` of the tracked counter file: 1, staged in the index itself, which the
// context build listed; the filter list is known for this configuration and the new commit is read from
// its loose ref), the change's sizes and text in one
// diff (1). No `rev-parse` of the base and target: the session resolved them already and their ref
// files are unchanged (commit-resolution-cache). No `add`: the change creates no file. No restore after
// the check: an attempt that ends right after it leaves the restore to the pool's reuse, whose status is
// run anyway. No `ls-files`: the session listed the files of this start commit already. The integrity
// reads need no git when the check left the index and the branch alone. The session's first attempt,
// which resolves the refs, makes the pooled worktree, runs the baseline and lists the files, 12. Before
// the fifth pass of issue 12: 7 and 13; before the fourth, 8 and 14; before that 24 and 33 (issue 12's
// second pass); before the pool and the batched reads, 40 and 44.
const MAX_GIT_PER_ATTEMPT = 5;

describe('git processes per attempt', () => {
  it('stays under the bound for plain successful attempts through the worktree pool', async () => {
    const files: Record<string, string> = { 'check.js': CHECK };
    for (const name of COUNTERS) files[`${name}.txt`] = 'count: 0\n';
    const repo = await createTempRepo({ files });
    const home = await createTempDir('nocturnal-home-');
    const shim = await createTempDir('nocturnal-git-shim-');
    cleanups.push(repo.cleanup, home.cleanup, shim.cleanup);
    const server: LoopbackOpenAiServer = await startLoopbackOpenAiServer({
      models: ['m'],
      responder: (request) => {
        const schema = request.body.response_format?.json_schema?.name;
        const prompt = (request.body.messages ?? []).map((m) => m.content).join('\n');
        if (schema !== 'nocturnal_edits') return { content: { score: 0.95, verdict: 'approve', issues: [] } };
        // The task names its counter file; the prompt shows that file's content.
        const name = COUNTERS.find((n) => prompt.includes(`Increment ${n}`)) ?? '';
        const shown = new RegExp(`## ${name}\\.txt\\n\`\`\`\\ncount: (\\d+)`).exec(prompt);
        if (!shown) return { content: { summary: 'cannot see the file', edits: [] } };
        const n = Number(shown[1]);
        return {
          content: {
            summary: `increment ${name}`,
            edits: [{ path: `${name}.txt`, action: 'replace', search: `count: ${n}`, replace: `count: ${n + 1}` }],
          },
        };
      },
    });
    cleanups.push(() => server.close());

    const base = defaultConfig();
    const config = {
      ...base,
      llm: { ...base.llm, provider: 'openai' as const, api_url: server.url, model: 'm', max_retries: 0 },
    };
    engine = createEngine({ home: home.path, config, env: {}, resourceSampler: scriptedSampler() });
    const workspace = await engine.workspaces.add({ path: repo.path, checks: { test: 'node check.js' } });
    for (const name of COUNTERS)
      engine.tasks.add({ workspace: workspace.name, title: `Increment ${name}`, files: [`${name}.txt`] });

    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const log = path.join(shim.path, 'calls.log');
    writeFileSync(log, '');
    writeFileSync(path.join(shim.path, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${realGit}' "$@"\n`);
    chmodSync(path.join(shim.path, 'git'), 0o755);
    process.env['PATH'] = `${shim.path}${path.delimiter}${originalPath ?? ''}`;
    const calls = () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l !== '').length;

    const marks: number[] = [];
    const session = await engine.runSession({
      trigger: 'manual',
      onProgress: (event) => {
        if (event.type === 'task-started' || event.type === 'task-finished') marks.push(calls());
      },
    });
    process.env['PATH'] = originalPath;

    // What the user sees: every attempt passed its checks and waits for review (the check shows no
    // progress to auto-merge on), each branch holding its own counter's increment and nothing else.
    expect(engine.tasks.list().map((t) => t.status)).toEqual(['review', 'review', 'review', 'review']);
    expect(session.stats.review).toBe(4);
    for (const task of engine.tasks.list()) {
      const name = task.title.replace('Increment ', '');
      const attempt = engine.store.attempts.forTask(task.id)[0];
      expect(await repo.git('diff', '--name-only', 'main', `refs/heads/${attempt?.branch ?? ''}`)).toBe(`${name}.txt`);
      expect(await repo.git('show', `refs/heads/${attempt?.branch ?? ''}:${name}.txt`)).toBe('count: 1');
    }
    // The pool is gone with the session.
    expect((await listWorktrees(repo.path)).filter((w) => !w.isMain)).toEqual([]);

    // Every commit staged in the index the context build had listed, without `--only`'s temporary index.
    const commits = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => / commit --quiet /.test(l));
    expect(commits).toHaveLength(4);
    for (const commit of commits) expect(commit).toMatch(/ --include /);

    const perAttempt: number[] = [];
    for (let i = 0; i + 1 < marks.length; i += 2) perAttempt.push((marks[i + 1] as number) - (marks[i] as number));
    expect(perAttempt).toHaveLength(4);
    // The first attempt makes the pooled worktree; the others reuse it.
    for (const count of perAttempt.slice(1)) expect(count).toBeLessThanOrEqual(MAX_GIT_PER_ATTEMPT);
    expect(perAttempt[0]).toBeLessThanOrEqual(MAX_GIT_PER_ATTEMPT + 7);
  }, 180_000);
});
