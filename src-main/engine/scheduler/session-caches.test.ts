// The session's caches must never show an attempt a stale repository: the file list an attempt's first
// context build reuses belongs to its start commit, and the repo map's outlines follow file changes.
// Here the user commits a new file to the base branch between two attempts of one session: the next
// attempt starts from that commit and its prompt lists the new file (a fresh `ls-files`), the attempt
// after it, from the same commit, gets the same list without one. That attempt also reuses the pooled
// worktree in which the one before renamed a function: its repo map, taken by the start commit's blob
// ids, shows the function as the commit has it.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-shared/config/schema';
import { createEngine } from '../engine';
import type { Engine } from '../engine';
import { observeGitSpawns } from '../git/run-git';
import { createTempDir, createTempRepo } from '../git/testing/temp-repo';
import { startLoopbackOpenAiServer } from '../llm/testing/loopback-openai-server';
import { scriptedSampler } from '../safety/resources/scripted-sampler';
import { startAnalysisStats } from './attempt/start-analysis';

const cleanups: (() => Promise<void>)[] = [];
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const COUNTERS = ['alpha', 'beta', 'gamma'];

describe('session caches across attempts', () => {
  it('lists a file committed between attempts, and reuses the list only for the same start commit', async () => {
    const files: Record<string, string> = {};
    for (const name of COUNTERS) files[`${name}.txt`] = 'count: 0\n';
    files['src/names.ts'] = 'export function original(): number {\n  return 1;\n}\n';
    const repo = await createTempRepo({ files });
    const home = await createTempDir('nocturnal-home-');
    cleanups.push(repo.cleanup, home.cleanup);
    // What each attempt's first model call (the explore call, shown the repo map) saw, by task.
    const firstPrompts = new Map<string, string>();
    const allPrompts = new Map<string, string[]>();
    const server = await startLoopbackOpenAiServer({
      models: ['m'],
      responder: (request) => {
        const schema = request.body.response_format?.json_schema?.name;
        const prompt = (request.body.messages ?? []).map((m) => m.content).join('\n');
        const name = COUNTERS.find((n) => prompt.includes(`Increment ${n}`)) ?? '';
        if (!firstPrompts.has(name)) firstPrompts.set(name, prompt);
        allPrompts.set(name, [...(allPrompts.get(name) ?? []), prompt]);
        if (schema !== 'nocturnal_edits') return { content: { score: 0.95, verdict: 'approve', issues: [] } };
        const shown = new RegExp(`## ${name}\\.txt\\n\`\`\`\\ncount: (\\d+)`).exec(prompt);
        if (!shown) return { content: { summary: 'cannot see the file', edits: [] } };
        const n = Number(shown[1]);
        const edits = [{ path: `${name}.txt`, action: 'replace', search: `count: ${n}`, replace: `count: ${n + 1}` }];
        // Beta's task names src/names.ts too: it renames the function the prompt shows there.
        if (name === 'beta' && /## src\/names\.ts\n```\nexport function original\(/.test(prompt))
          edits.push({
            path: 'src/names.ts',
            action: 'replace',
            search: 'export function original(',
            replace: 'export function renamedByBeta(',
          });
        return { content: { summary: `increment ${name}`, edits } };
      },
    });
    cleanups.push(() => server.close());
    const base = defaultConfig();
    const config = {
      ...base,
      llm: { ...base.llm, provider: 'openai' as const, api_url: server.url, model: 'm', max_retries: 0 },
    };
    engine = createEngine({ home: home.path, config, env: {}, resourceSampler: scriptedSampler() });
    const workspace = await engine.workspaces.add({ path: repo.path, checks: { test: 'true' } });
    for (const name of COUNTERS)
      engine.tasks.add({
        workspace: workspace.name,
        title: `Increment ${name}`,
        files: name === 'beta' ? ['beta.txt', 'src/names.ts'] : [`${name}.txt`],
      });

    const listings = [0, 0, 0];
    let current = -1;
    const stop = observeGitSpawns((args) => {
      // The builder lists with `--stage` (blob ids for the repo map); the integrity check lists the
      // index only when a check rewrote its bytes, which `true` does not.
      if (current >= 0 && args.includes('ls-files')) listings[current] = (listings[current] ?? 0) + 1;
    });
    let finished = 0;
    const usedBefore = startAnalysisStats.used;
    try {
      await engine.runSession({
        trigger: 'manual',
        onProgress: (event) => {
          if (event.type === 'task-started') current = finished;
          if (event.type !== 'task-finished') return;
          finished++;
          current = -1;
          // The user commits a new file to the base branch while the night goes on.
          if (finished === 1) {
            writeFileSync(path.join(repo.path, 'delta.txt'), 'count: 0\n');
            const env = {
              ...process.env,
              GIT_AUTHOR_NAME: 'u',
              GIT_AUTHOR_EMAIL: 'u@u',
              GIT_COMMITTER_NAME: 'u',
              GIT_COMMITTER_EMAIL: 'u@u',
            };
            execFileSync('git', ['-C', repo.path, 'add', 'delta.txt'], { env });
            execFileSync('git', ['-C', repo.path, 'commit', '-q', '-m', 'the user adds delta'], { env });
          }
        },
      });
    } finally {
      stop();
    }
    expect(engine.tasks.list().map((t) => t.status)).toEqual(['review', 'review', 'review']);
    // The first attempt started before the user's commit; the other two from it.
    expect(firstPrompts.get('alpha')).not.toContain('delta.txt');
    expect(firstPrompts.get('beta')).toContain('delta.txt');
    expect(firstPrompts.get('gamma')).toContain('delta.txt');
    // One listing for each new start commit, none for the attempt that started from the same one.
    expect(listings).toEqual([1, 1, 0]);
    // Beta's rename was committed (its review saw it); gamma, in the same pooled worktree reset to the
    // same start commit, is shown the function as that commit has it.
    expect((allPrompts.get('beta') ?? []).some((p) => p.includes('renamedByBeta'))).toBe(true);
    expect(firstPrompts.get('gamma')).toContain('function original(): number');
    expect(firstPrompts.get('gamma')).not.toContain('renamedByBeta');
    // Gamma's map came from the analysis made while its worktree was still being reset from beta's
    // commit (./attempt/start-analysis): the commit's outlines, not the files on disk at that moment.
    expect(startAnalysisStats.used - usedBefore).toBe(1);
  }, 180_000);
});
