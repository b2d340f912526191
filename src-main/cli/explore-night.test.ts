// The explore call on a real repository through the CLI: the task names no file, and the file to fix
// has no word of the task in its path. The scripted model finds it the way a model would: from the repo
// map's symbols in the explore prompt, then it edits what the edit prompt shows it. A malformed explore
// reply is skipped and the attempt goes on.
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src-shared/domain/records';
import { exploreFromMap } from '../engine/llm/testing/explore-from-map';
import { createNightFixture, editsReply, reviewReply } from './testing/night-fixture';
import type { NightFixture, NightFixtureOptions, Responder } from './testing/night-fixture';

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const rates =
  'function applyDiscount(total, percent) {\n  return total - percent;\n}\n\nfunction addTax(total, rate) {\n  return total + (total * rate) / 100;\n}\n\nmodule.exports = { applyDiscount, addTax };\n';
const files: Record<string, string> = {
  'src/billing/rates.js': rates,
  'src/billing/invoice.js':
    "const { addTax } = require('./rates');\nfunction invoiceTotal(lines) {\n  return addTax(lines.reduce((a, b) => a + b, 0), 20);\n}\nmodule.exports = { invoiceTotal };\n",
  'src/users/profile.js':
    'class Profile {\n  rename(name) {\n    this.name = name;\n  }\n}\nmodule.exports = { Profile };\n',
  'test.js':
    "const assert = require('node:assert');\nconst { applyDiscount } = require('./src/billing/rates.js');\nassert.strictEqual(applyDiscount(200, 10), 180);\nconsole.log('all tests passed');\n",
  'README.md': '# shop\n',
};
for (let i = 0; i < 40; i++)
  files[`src/widgets/widget${i}.js`] =
    `function renderWidget${i}(size) {\n  return '#'.repeat(size);\n}\nmodule.exports = { renderWidget${i} };\n`;

/** Every file block the prompt shows, by path. */
function shownFiles(prompt: string): Map<string, string> {
  return new Map([...prompt.matchAll(/^## (\S+)\n```\n([\s\S]*?)\n```/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/** Edits what it is shown: a percentage subtracted as an amount, in whichever file shows one. */
const editor: Responder = (schema, prompt) => {
  if (schema === 'nocturnal_review') return reviewReply(0.95);
  if (schema !== 'nocturnal_edits') return { status: 400, message: `unexpected ${schema}` };
  for (const [file, content] of shownFiles(prompt)) {
    const line = content.split('\n').find((l) => /return (\w+) - percent;/.test(l));
    if (line)
      return editsReply(
        [
          {
            path: file,
            action: 'replace',
            search: line,
            replace: line.replace(/(\w+) - percent/, '$1 - ($1 * percent) / 100'),
          },
        ],
        `take the percentage in ${file}`,
      );
  }
  return editsReply([], 'the prompt shows no discount code');
};

async function night(
  options: Omit<NightFixtureOptions, 'files'>,
): Promise<{ f: NightFixture; task: Task; prompts: (schema: string) => string[] }> {
  const f = await createNightFixture({ ...options, files });
  fixture = f;
  expect((await f.cli('workspace', 'add', f.repo.path, '--name', 'shop', '--test', 'node test.js')).code).toBe(0);
  const id = (
    await f.cli(
      'task',
      'add',
      'shop',
      'A 10% discount takes 10 off instead of 10 percent',
      '--json',
      '--criteria',
      'a discount of 10 on 200 gives 180',
    )
  ).json<{ id: string }>().id;
  const before = await f.userView();
  expect((await f.cli('run', '--now')).code).toBe(0);
  expect(await f.userView()).toEqual(before);
  const task = (await f.cli('task', 'show', id, '--json')).json<Task>();
  const prompts = (schema: string) =>
    f.server.chatRequests
      .filter((r) => r.body.response_format?.json_schema?.name === schema)
      .map((r) => (r.body.messages ?? []).map((m) => m.content).join('\n'));
  return { f, task, prompts };
}

describe('the explore call', () => {
  it('finds the file the task does not name through the repo map, and the fix lands', async () => {
    const { f, task, prompts } = await night({ respond: editor });
    const [explorePrompt] = prompts('nocturnal_explore');
    expect(prompts('nocturnal_explore')).toHaveLength(1);
    // The explore prompt is the task and the map: the map shows the symbol, not the file's content.
    expect(explorePrompt).toContain('  function applyDiscount(total, percent)  [L1-3]');
    expect(explorePrompt).not.toContain('return total - percent;');
    expect(exploreFromMap(explorePrompt ?? '')).toEqual({
      files: ['src/billing/rates.js'],
      symbols: ['applyDiscount'],
      reason: 'their symbols match the task: applyDiscount',
    });
    // The edit call shows the file it asked for, whole (the definition it asked for is inside it).
    const [editPrompt] = prompts('nocturnal_edits');
    expect(shownFiles(editPrompt ?? '').get('src/billing/rates.js')).toBe(rates);
    expect(task.status).toBe('merged');
    expect(await f.repo.git('show', 'nocturnal/integration:src/billing/rates.js')).toContain(
      '  return total - (total * percent) / 100;\n',
    );
  });

  it('skips a malformed explore reply and still lands the fix', async () => {
    const { f, task, prompts } = await night({
      explore: 'respond',
      respond: (schema, prompt, request) =>
        schema === 'nocturnal_explore'
          ? { content: { files: 'rates.js', reason: 42 } }
          : editor(schema, prompt, request),
    });
    // The reply and its one repair turn both fail validation; the attempt goes on without them.
    expect(prompts('nocturnal_explore')).toHaveLength(2);
    expect(prompts('nocturnal_edits')).toHaveLength(1);
    expect(task.status).toBe('merged');
    expect(await f.repo.git('show', 'nocturnal/integration:src/billing/rates.js')).toContain(
      '  return total - (total * percent) / 100;\n',
    );
  });

  it('is not called with agents.explore false', async () => {
    const { task, prompts } = await night({ respond: editor, env: { NOCTURNAL_AGENTS_EXPLORE: 'false' } });
    expect(prompts('nocturnal_explore')).toEqual([]);
    expect(task.status).toBe('merged');
  });
});
