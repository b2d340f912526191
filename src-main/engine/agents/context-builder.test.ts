// The context on a real repository: the named file's own tests come right after it, before files that
// only share a word with the task, and the budget drops whole files, saying which.
import { afterEach, describe, expect, it } from 'vitest';
import { createTempRepo } from '../git/testing/temp-repo';
import type { TempRepo } from '../git/testing/temp-repo';
import { buildContext } from './context-builder';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

describe('buildContext', () => {
  it("includes the named file's tests, ahead of files that only share a word with the task", async () => {
    repo = await createTempRepo({
      files: {
        'src/queue.ts': 'export function pop(q: number[]) { return q.shift(); }\n',
        'src/queue.test.ts': "import { pop } from './queue';\nit('pops the first', () => expect(pop([1, 2])).toBe(1));\n",
        'src/order.ts': 'export const order = 1;\n',
        'docs/order-guide.md': `${'text '.repeat(400)}\n`,
      },
    });
    const context = await buildContext({ git: {}, worktree: repo.path, taskFiles: ['src/queue.ts'], taskText: 'Fix pop order', budgetTokens: 200 });
    expect(context.includedFiles).toEqual(['src/queue.ts', 'src/queue.test.ts', 'src/order.ts']);
    expect(context.text).toContain("## src/queue.test.ts\n```\nimport { pop } from './queue';");
    expect(context.omitted).toEqual(['docs/order-guide.md']);
  });
});
