// The morning in a real browser against the real engine: `nocturnal serve` over a temporary home, a
// real repository and the loopback scripted model (see support/morning-flow.ts for what is done and
// checked). This run also takes the README's screenshots (docs/screenshots).
import { morningFlow } from './support/morning-flow';
import { startNightServer } from './support/night-server';
import type { NightServer } from './support/night-server';
import { scriptedCalcModel } from './support/scripted-calc-model';
import { expect, repoRoot, test } from './support/fixtures';

test.describe('the morning, in the browser against nocturnal serve', () => {
  test.setTimeout(300_000);
  let night: NightServer;

  test.beforeAll(async () => {
    night = await startNightServer({ repoRoot, model: scriptedCalcModel });
  });
  test.afterAll(async () => {
    await night?.close();
  });

  test('queue, run, report, approve, reject with a note, retry, undo', async ({ page }) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400)
        problems.push(
          `HTTP ${response.status()}: ${response.request().method()} ${response.url().replace(/token=[^&]+/, 'token=…')}`,
        );
    });

    await page.goto(night.url);
    await morningFlow(page, night, { screenshots: true });
    // The one refusal the flow provokes on purpose (a threshold of 2 in Settings) answers 400, and the
    // browser logs that response; anything else is a problem.
    const provoked = [
      'HTTP 400: POST /api/config:set',
      'console error: Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ];
    expect(problems.map((p) => p.replace(/http:\/\/127\.0\.0\.1:\d+/, '')).sort()).toEqual(provoked.sort());
  });
});
