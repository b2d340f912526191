// The first run in the window against `nocturnal serve` with a fresh home (issue 14): a scripted
// OpenAI-compatible server on Ollama's port is found and one of its models picked, a repository is
// added by path with its detected test command, the night is armed — and the CLI, reading the same
// home, reports exactly that. Without any server, the flow offers the embedded model with its size and
// whether it fits this machine.
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { ensureTinyModel } from '../scripts/tiny-model-fixture';
import type { Page } from '@playwright/test';
import { createTempDir, createTempRepo } from '../src-main/engine/git/testing/temp-repo';
import type { TempRepo } from '../src-main/engine/git/testing/temp-repo';
import { startLoopbackOpenAiServer } from '../src-main/engine/llm/testing/loopback-openai-server';
import type { LoopbackOpenAiServer } from '../src-main/engine/llm/testing/loopback-openai-server';
import { findCatalogModel } from '../src-main/engine/models/catalog';
import { startModelFileServer } from '../src-main/engine/models/testing/model-file-server';
import type { ModelFileServer } from '../src-main/engine/models/testing/model-file-server';
import { KNOWN_LOCAL_SERVERS } from '../src-main/engine/setup/local-servers';
import { recommendModel } from '../src-main/engine/setup/recommend-model';
import { expect, repoRoot, test } from './support/fixtures';
import { cleanEnv, cliJson, cliText, serveHome } from './support/serve-home';
import type { ServedHome } from './support/serve-home';

const OLLAMA_PORT = 11434;

/** Resolves whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A port nothing listens on: the kernel's free one, closed again. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test.describe('first run in the window', () => {
  let home: { path: string; cleanup(): Promise<void> };
  let served: ServedHome | undefined;
  let ollama: LoopbackOpenAiServer | undefined;
  let repo: TempRepo | undefined;
  let hub: ModelFileServer | undefined;
  const env = cleanEnv();

  test.beforeEach(async () => {
    home = await createTempDir('nocturnal-e2e-firstrun-');
  });

  test.afterEach(async () => {
    await served?.close();
    await ollama?.close();
    await repo?.cleanup();
    await hub?.close();
    await home.cleanup();
    hub = undefined;
    served = undefined;
    ollama = undefined;
    repo = undefined;
  });

  test('finds the server on Ollama’s port, picks its model, adds a repository, arms the night; the CLI reads exactly that', async ({
    page,
  }) => {
    if (await listening(OLLAMA_PORT))
      throw new Error(
        `127.0.0.1:${OLLAMA_PORT} (Ollama's port) is taken by another process; this test serves a scripted Ollama there — stop that process and run again`,
      );
    ollama = await startLoopbackOpenAiServer({ port: OLLAMA_PORT, models: ['qwen2.5-coder:7b', 'llama3.1:8b'] });
    repo = await createTempRepo({
      files: {
        'package.json': `${JSON.stringify({ name: 'calc', version: '1.0.0', scripts: { test: 'node test.js' } }, null, 2)}\n`,
        'test.js': "const assert = require('node:assert');\nassert.strictEqual(1 + 1, 2);\nconsole.log('ok');\n",
      },
    });
    // Night mode starts off here so that arming it in the window is something the config can show.
    await fs.writeFile(path.join(home.path, 'config.yaml'), 'scheduler:\n  night_mode: false\n');
    served = await serveHome(repoRoot, home.path, env);

    await page.goto(served.url);
    // A home without a model opens on the first run by itself.
    await expect(page.getByRole('heading', { level: 2, name: 'Set up your first night' })).toBeVisible({
      timeout: 20_000,
    });
    await expect(page.getByRole('link', { name: 'Setup' })).toHaveAttribute('aria-current', 'page');

    // 1. Model: the server on Ollama's port with both its models.
    const modelStep = page.getByRole('region', { name: /^1\. Model/ });
    const server = modelStep.getByRole('group', { name: `Ollama at http://127.0.0.1:${OLLAMA_PORT}/v1` });
    await expect(server).toContainText('2 models');
    await expect(server.getByRole('radio')).toHaveCount(2);
    await expect(server.getByRole('radio', { name: 'qwen2.5-coder:7b on Ollama' })).toBeChecked();
    await server.getByRole('radio', { name: 'llama3.1:8b on Ollama' }).check();
    await expectNoSeriousViolations(page);
    // The README's picture of the first run (light theme, as a fresh window opens).
    await page.screenshot({ path: path.join(repoRoot, 'docs', 'screenshots', 'first-run-light.png'), fullPage: true });
    await modelStep.getByRole('button', { name: 'Use this model' }).click();
    await expect(modelStep.getByRole('status')).toHaveText(
      `Saved: Using llama3.1:8b on http://127.0.0.1:${OLLAMA_PORT}/v1`,
    );
    await expect(modelStep.getByRole('heading')).toHaveText('1. Model (done)');

    // 2. Repository: by path; the test script is detected and confirmed.
    const repoStep = page.getByRole('region', { name: /^2\. Repository/ });
    await repoStep.getByRole('textbox', { name: 'Repository path' }).fill(repo.path);
    await repoStep.getByRole('button', { name: 'Look at the repository' }).click();
    await expect(repoStep.getByRole('textbox', { name: 'test command' })).toHaveValue('npm test');
    await expect(repoStep).toContainText('Found from: test: package.json scripts.test');
    await repoStep.getByRole('button', { name: 'Add this repository' }).click();
    const name = path.basename(repo.path);
    await expect(repoStep.getByRole('status').filter({ hasText: 'Saved:' })).toHaveText(
      `Saved: workspace "${name}" (${repo.path}), base main → target nocturnal/integration; checks: test \`npm test\``,
    );
    // The setup and the checks ran once on the base: what passed and how long it took.
    const baseline = repoStep.getByRole('table', { name: 'Checks on the base' });
    await expect(baseline.getByRole('row', { name: /test npm test/ })).toContainText(/passed\s*\d+\.\d s/, {
      timeout: 60_000,
    });
    await expect(repoStep.getByRole('group', { name: 'Baseline on the base commit' })).toContainText(
      'no dependency setup needed.',
    );

    // 3. Night: a window of our own, armed, notifications on; the zone is shown.
    const nightStep = page.getByRole('region', { name: /^3\. Night/ });
    await expect(nightStep).toContainText(`Times in ${Intl.DateTimeFormat().resolvedOptions().timeZone}.`);
    await nightStep.getByLabel('Night starts at').fill('23:00');
    await nightStep.getByLabel('Night ends at').fill('05:30');
    await expect(nightStep.getByRole('checkbox', { name: /Arm night mode/ })).toBeChecked();
    await expect(nightStep.getByRole('checkbox', { name: /Desktop notifications/ })).toBeChecked();
    await nightStep.getByRole('button', { name: 'Save the night' }).click();
    await expect(nightStep.getByRole('status').first()).toHaveText(
      'Saved: Night 23:00–05:30, night mode armed, notifications on',
    );
    await expect(
      page
        .getByRole('main')
        .getByRole('status')
        .filter({ hasText: 'Ready: a model, a repository and an armed night.' }),
    ).toBeVisible();

    // A first task, right there.
    const firstTask = nightStep.getByRole('form', { name: 'Queue a first task' });
    await firstTask.getByRole('textbox', { name: 'First task' }).fill('Add a subtract function');
    await firstTask.getByRole('button', { name: 'Queue task' }).click();
    await expect(firstTask.getByRole('status')).toHaveText('Queued “Add a subtract function” for tonight.');

    // The terminal, on the same home, sees exactly what the window confirmed.
    const config = await cliJson<{
      llm: Record<string, unknown>;
      scheduler: Record<string, unknown>;
      notifications: Record<string, unknown>;
    }>(repoRoot, home.path, env, ['config', 'show', '--json']);
    expect({ provider: config.llm['provider'], api_url: config.llm['api_url'], model: config.llm['model'] }).toEqual({
      provider: 'openai',
      api_url: `http://127.0.0.1:${OLLAMA_PORT}/v1`,
      model: 'llama3.1:8b',
    });
    expect({
      start: config.scheduler['start_time'],
      end: config.scheduler['end_time'],
      armed: config.scheduler['night_mode'],
    }).toEqual({ start: '23:00', end: '05:30', armed: true });
    expect(config.notifications['enabled']).toBe(true);
    const workspaces = await cliJson<
      { name: string; path: string; baseBranch: string; targetBranch: string; checks: Record<string, string> }[]
    >(repoRoot, home.path, env, ['workspace', 'list', '--json']);
    expect(
      workspaces.map((w) => ({
        name: w.name,
        path: w.path,
        base: w.baseBranch,
        target: w.targetBranch,
        checks: w.checks,
      })),
    ).toEqual([{ name, path: repo.path, base: 'main', target: 'nocturnal/integration', checks: { test: 'npm test' } }]);
    const tasks = await cliJson<{ title: string; workspace?: string }[]>(repoRoot, home.path, env, [
      'task',
      'list',
      '--json',
    ]);
    expect(tasks.map((t) => t.title)).toEqual(['Add a subtract function']);
    const status = await cliText(repoRoot, home.path, env, ['status']);
    expect(status).not.toContain('not ready');
  });

  test('with no server running, offers the embedded model with its size and whether it fits; skipping writes nothing; choosing one downloads it with progress', async ({
    page,
  }) => {
    const open = [];
    for (const known of KNOWN_LOCAL_SERVERS) {
      const port = Number(new URL(known.apiUrl).port);
      if (await listening(port)) open.push(`${known.name} on 127.0.0.1:${port}`);
    }
    if (open.length > 0)
      throw new Error(
        `this test needs no model server on this machine, but something listens: ${open.join(', ')}; stop it and run again`,
      );
    // The configured server, probed too, points at a port that is closed as well.
    const nowhere = await closedPort();
    await fs.writeFile(path.join(home.path, 'config.yaml'), `llm:\n  api_url: http://127.0.0.1:${nowhere}/v1\n`);
    // The model hub, on loopback: serves the small catalog model's file as the generated tiny GGUF.
    const small = findCatalogModel('qwen2.5-coder-1.5b-instruct');
    if (!small) throw new Error('qwen2.5-coder-1.5b-instruct left the catalog; pick another small model here');
    const [user, repoName, ...file] = small.uri.replace(/^hf:/, '').split('/');
    hub = await startModelFileServer({
      [`/${user}/${repoName}/resolve/main/${file.join('/')}`]: { body: await fs.readFile(await ensureTinyModel()) },
    });
    const hubEnv = cleanEnv({ HF_ENDPOINT: hub.url });
    served = await serveHome(repoRoot, home.path, hubEnv);

    await page.goto(served.url);
    await expect(page.getByRole('heading', { level: 2, name: 'Set up your first night' })).toBeVisible({
      timeout: 20_000,
    });
    const modelStep = page.getByRole('region', { name: /^1\. Model/ });
    await expect(modelStep).toContainText('No model server found on this machine');
    await expect(modelStep).toContainText('Ollama at 127.0.0.1:11434: nothing is listening');
    await expect(modelStep).toContainText(`the server in llm.api_url at 127.0.0.1:${nowhere}: nothing is listening`);

    // The same machine, the same judgement: every catalog model with its download size and its fit.
    const expected = recommendModel(os.totalmem());
    const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;
    const radios = modelStep.getByRole('radio');
    await expect(radios).toHaveCount(expected.options.length);
    const recommended = expected.recommended.model;
    const label = `${recommended.title} (recommended): ${gb(recommended.sizeBytes)} download, ${expected.recommended.fits ? 'fits this machine' : 'does not fit this machine'}`;
    await expect(modelStep.getByRole('radio', { name: label, exact: true })).toBeChecked();
    await expect(modelStep).toContainText(expected.why);
    for (const option of expected.options.slice(1)) {
      await expect(
        modelStep.getByRole('radio', {
          name: `${option.model.title}: ${gb(option.model.sizeBytes)} download, ${option.fits ? 'fits this machine' : 'does not fit this machine'}`,
          exact: true,
        }),
      ).toBeVisible();
    }
    await expectNoSeriousViolations(page);

    // Skipping writes nothing: the terminal still has no model and says so first.
    await modelStep.getByRole('button', { name: 'Skip for now (model)' }).click();
    await expect(modelStep).toContainText('Skipped for now; nothing was written.');
    const config = await cliJson<{ llm: Record<string, unknown> }>(repoRoot, home.path, env, [
      'config',
      'show',
      '--json',
    ]);
    expect({ provider: config.llm['provider'], model_path: config.llm['model_path'] }).toEqual({
      provider: 'llama',
      model_path: null,
    });
    const status = await cliText(repoRoot, home.path, env, ['status']);
    expect(status.split('\n')[0]).toMatch(/^not ready: no model yet → /);

    // Finished later: the small model, downloaded while the page stays usable.
    await modelStep.getByRole('button', { name: 'Set up model now' }).click();
    await modelStep.getByRole('radio', { name: new RegExp(`^${small.title.replace(/[()]/g, '\\$&')}: `) }).check();
    await modelStep.getByRole('button', { name: 'Use this model' }).click();
    await expect(modelStep.getByRole('status').filter({ hasText: 'Saved:' })).toHaveText(
      `Saved: Using ${small.id}; downloading it now — you can go on meanwhile`,
    );
    await expect(modelStep.getByRole('status').filter({ hasText: 'Downloaded.' })).toBeVisible({ timeout: 30_000 });
    await expect(modelStep.getByRole('heading')).toHaveText('1. Model (done)');
    const after = await cliJson<{ llm: Record<string, unknown> }>(repoRoot, home.path, env, [
      'config',
      'show',
      '--json',
    ]);
    expect({ provider: after.llm['provider'], model_path: after.llm['model_path'] }).toEqual({
      provider: 'llama',
      model_path: small.fileName,
    });
    expect(await fs.readFile(path.join(home.path, 'models', small.fileName))).toEqual(
      await fs.readFile(await ensureTinyModel()),
    );
    expect(await cliText(repoRoot, home.path, env, ['status'])).not.toContain('no model yet');

    // A server started after the window opened is found when asked to look again.
    ollama = await startLoopbackOpenAiServer({ port: nowhere, models: ['late-model'] });
    await modelStep.getByRole('button', { name: 'Look for servers again' }).click();
    await expect(
      modelStep
        .getByRole('group', { name: `the server in llm.api_url at http://127.0.0.1:${nowhere}/v1` })
        .getByRole('radio', { name: 'late-model on the server in llm.api_url' }),
    ).toBeVisible();
  });
});

async function expectNoSeriousViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}
