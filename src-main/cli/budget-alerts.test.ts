// Budget alerts in `status` and the report, after a real night on a priced model: the server reports
// exact token counts, so the spend (and which thresholds it crossed) is known to the cent.
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src-shared/domain/app-state';
import type { SessionReport } from '../../src-shared/domain/report';
import { createNightFixture, editsReply, reviewReply } from './testing/night-fixture';
import type { NightFixture } from './testing/night-fixture';

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const buggyLine = '  return a - b;';

describe('budget alerts', () => {
  it('are shown by status and the report once spending crosses the thresholds', async () => {
    // $1 per 1k prompt tokens against a $1 budget: the edit call spends $0.60 (50% alert), the review
    // call $0.25 more (80% alert); 90% and 95% are not reached, so paid calls are still allowed.
    const f = (fixture = await createNightFixture({
      respond: (schema, prompt) => {
        if (schema !== 'nocturnal_edits')
          return { ...reviewReply(0.95), usage: { prompt_tokens: 250, completion_tokens: 0 } };
        const edits = prompt.includes(buggyLine)
          ? [{ path: 'math.js', action: 'replace', search: buggyLine, replace: '  return a + b;' }]
          : [];
        return { ...editsReply(edits), usage: { prompt_tokens: 600, completion_tokens: 0 } };
      },
      // No explore call: the spend below is the edit and review calls' exact token counts.
      env: {
        NOCTURNAL_AGENTS_EXPLORE: 'false',
        NOCTURNAL_COST_MONTHLY_BUDGET_USD: '1',
        NOCTURNAL_COST_PRICES: '{test-model: {input_per_1k_usd: 1, output_per_1k_usd: 0}}',
        NOCTURNAL_NOTIFICATIONS_ENABLED: 'false',
      },
    }));
    expect(
      (await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js', '--no-check')).code,
    ).toBe(0);
    const quiet = await f.cli('status');
    expect(quiet.stdout).not.toContain('budget');
    expect((await f.cli('task', 'add', 'calc', 'Fix add()', '--file', 'math.js')).code).toBe(0);
    expect((await f.cli('run', '--now')).code).toBe(0);

    const status = await f.cli('status');
    expect(status.code).toBe(0);
    const lines = status.stdout.split('\n');
    const month = (await f.cli('status', '--json')).json<EngineStatus>().budget?.month;
    expect(lines).toContain(`budget ${month}: $0.85 of $1.00 spent (85%)`);
    const alertLines = lines.filter((line) => line.startsWith('budget alert: '));
    expect(alertLines).toHaveLength(2);
    expect(alertLines[0]).toMatch(/^budget alert: 50% reached at \S+ \(\$0\.60\)$/);
    expect(alertLines[1]).toMatch(/^budget alert: 80% reached at \S+ \(\$0\.85\)$/);

    const json = (await f.cli('status', '--json')).json<EngineStatus>();
    expect(json.budget).toMatchObject({ spentUsd: 0.85, budgetUsd: 1, share: 0.85 });
    expect(json.budget?.alerts.map((a) => [a.threshold, a.blocksPaidModels])).toEqual([
      [0.5, false],
      [0.8, false],
    ]);

    const report = (await f.cli('report', '--json')).json<SessionReport>();
    expect(report.budgetAlerts?.map((a) => a.threshold)).toEqual([0.5, 0.8]);
    const markdown = (await f.cli('report', '--markdown')).stdout;
    expect(markdown).toMatch(/- \*\*Budget alert: 50% of the \$1\.00 monthly budget used \(\$0\.60\) at \S+\*\*/);
    expect(markdown).toMatch(/- \*\*Budget alert: 80% of the \$1\.00 monthly budget used \(\$0\.85\) at \S+\*\*/);
  });
});
