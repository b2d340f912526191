// The explore step's handling of what a model asks for, on a real repository: files outside the
// worktree, protected or untracked are refused; symbols resolve to their definitions; a failing call is
// skipped (null) rather than failing the attempt. The model here is hostile on purpose.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-shared/config/schema';
import { createTempRepo } from '../git/testing/temp-repo';
import type { TempRepo } from '../git/testing/temp-repo';
import { LlmError } from '../llm/llm-error';
import { silentLogger } from '../log/logger';
import { explore } from './explore';
import type { ModelCall } from './model-caller';
import { OutlineCache } from './repo-map/outline-cache';
import { analyseRepo } from './repo-map/repo-map';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

const task = { title: 'Discounts subtract the percent', description: '', criteria: [], files: [], retryNote: null };

async function setUp() {
  repo = await createTempRepo({
    files: {
      'src/rates.js':
        'function applyDiscount(total, percent) {\n  return total - percent;\n}\nmodule.exports = { applyDiscount };\n',
      '.env.local': 'TOKEN=x\n',
      'README.md': '# r\n',
    },
  });
  await repo.write({ 'untracked.js': 'function x() {}\n' });
  const tracked = ['.env.local', 'README.md', 'src/rates.js'];
  const analysis = await analyseRepo({
    worktree: repo.path,
    tracked,
    namedFiles: [],
    failingFiles: [],
    taskText: task.title,
    cache: new OutlineCache(),
  });
  return { worktree: repo.path, analysis };
}

describe('explore', () => {
  it('reads only tracked, unprotected files inside the worktree, and resolves symbols', async () => {
    const { worktree, analysis } = await setUp();
    const calls: ModelCall<unknown>[] = [];
    const model = {
      call: <T>(call: ModelCall<T>) => {
        calls.push(call as ModelCall<unknown>);
        return Promise.resolve({
          value: {
            files: ['src/rates.js', '../outside.js', '.env.local', 'untracked.js'],
            symbols: ['applyDiscount', 'nowhere'],
            reason: 'r',
          } as T,
          promptTokens: 1,
          completionTokens: 1,
        });
      },
    };
    const explored = await explore({
      model,
      log: silentLogger(),
      task,
      analysis,
      mapBudgetTokens: 500,
      worktree,
      safety: defaultConfig().safety,
      context: { sessionId: null, taskId: null, attemptId: null },
    });
    expect(calls[0]?.schema.name).toBe('nocturnal_explore');
    expect(calls[0]?.maxTokens).toBe(384);
    expect(calls[0]?.messages[1]?.content).toContain('src/rates.js\n  function applyDiscount(total, percent)  [L1-3]');
    expect(explored?.files).toEqual(['src/rates.js']);
    expect(explored?.regions).toEqual([
      {
        file: 'src/rates.js',
        symbol: 'applyDiscount',
        startLine: 1,
        endLine: 3,
        text: 'function applyDiscount(total, percent) {\n  return total - percent;\n}',
      },
    ]);
    expect(explored?.refused).toEqual([
      expect.stringMatching(/^\.\.\/outside\.js: /) as unknown,
      expect.stringMatching(/^\.env\.local: .*protected/) as unknown,
      'untracked.js: not a file in the repository',
      'nowhere: no such symbol in the map',
    ]);
  });

  it('gives null, not an error, when the call fails', async () => {
    const { worktree, analysis } = await setUp();
    const model = {
      call: () =>
        Promise.reject(
          new LlmError('invalid_output', "the model's reply did not match nocturnal_explore: files: expected array"),
        ),
    };
    await expect(
      explore({
        model,
        log: silentLogger(),
        task,
        analysis,
        mapBudgetTokens: 500,
        worktree,
        safety: defaultConfig().safety,
        context: { sessionId: null, taskId: null, attemptId: null },
      }),
    ).resolves.toBeNull();
  });
});
