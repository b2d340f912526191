// Real repositories with dependencies (issue 15, DESIGN §9b), end to end through the CLI: a Node
// project whose tests need a dev dependency from the npm registry, and a Python project with a
// virtualenv. Setup runs once per lock file with the network, in the sandbox, into the home's cache;
// attempts and checks see the result read-only with the network off; the user's checkout, its own
// node_modules / .venv included, stays byte-identical.
//
// NEEDS THE NPM REGISTRY: the Node scenarios install uvu@0.5.6 (6 small packages, exact versions from
// the committed lock file) with `npm ci` during the setup phase. The Python scenarios need Debian's
// python3-venv and python3-pytest (offline). Timeouts are generous because the registry is remote.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src-shared/domain/records';
import type { SessionReport } from '../engine/report/session-report';
import { createNightFixture, editsReply, reviewReply } from './testing/night-fixture';
import type { NightFixture, Responder } from './testing/night-fixture';

const fixtures = path.join(__dirname, 'testing', 'fixtures');
const packageJson = fs.readFileSync(path.join(fixtures, 'uvu-package.json'), 'utf8');
const packageLock = fs.readFileSync(path.join(fixtures, 'uvu-package-lock.json'), 'utf8');

const buggyMath =
  'function add(a, b) {\n  return a - b;\n}\n\nfunction mul(a, b) {\n  return a * b;\n}\n\nmodule.exports = { add, mul };\n';
// Three uvu tests; add(0, 0) passes even with the bug, so the base shows 2 passed, 1 failed.
const uvuTests = [
  "const { test } = require('uvu');",
  "const assert = require('uvu/assert');",
  "const { add, mul } = require('../math.js');",
  "test('add', () => assert.is(add(2, 3), 5));",
  "test('add zero', () => assert.is(add(0, 0), 0));",
  "test('mul', () => assert.is(mul(2, 3), 6));",
  'test.run();',
  '',
].join('\n');

const nodeRepo = {
  'package.json': packageJson,
  'package-lock.json': packageLock,
  '.gitignore': 'node_modules/\n',
  'math.js': buggyMath,
  'tests/math.test.js': uvuTests,
  'README.md': '# calc\n',
};

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

/**
 * A model that edits what the prompt shows it: the `return a - b` line it sees (math.js or calc.py) becomes a
 * sum — or, until the prompt carries the person's retry note, a product (a wrong fix).
 */
function fixWhatThePromptShows(
  options: { wrongUntil?: string; extraEdits?: (prompt: string) => object[] } = {},
): Responder {
  return (schema, prompt) => {
    if (schema !== 'nocturnal_edits') return reviewReply(0.95);
    const line = /^( *)return a - b(;?)$/m.exec(prompt);
    if (line === null) return editsReply([], 'I do not see the bug');
    const file = line[2] === ';' ? 'math.js' : 'calc.py';
    const right = options.wrongUntil === undefined || prompt.includes(options.wrongUntil);
    const fix = {
      path: file,
      action: 'replace',
      search: line[0],
      replace: `${line[1] ?? ''}return ${right ? 'a + b' : 'a * b'}${line[2] ?? ''}`,
    };
    return editsReply([fix, ...(options.extraEdits?.(prompt) ?? [])], right ? 'fix add' : 'try a product');
  };
}

async function setUp(
  respond: Responder,
  files: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
): Promise<NightFixture> {
  fixture = await createNightFixture({
    respond,
    files,
    env: { NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '0', ...env },
  });
  return fixture;
}

/** What each attempt decided and why: the message of a failed status expectation, so a failure explains itself. */
function attemptsSummary(task: Task): string {
  return JSON.stringify(
    task.attempts.map((a) => ({ decision: a.decision, score: a.score, reasons: a.reasons, checks: a.checksAfter })),
  ).slice(0, 6000);
}

async function showTask(f: NightFixture, id: string): Promise<Task> {
  return (await f.cli('task', 'show', id, '--json')).json<Task>();
}

function logLines(f: NightFixture): string[] {
  const dir = path.join(f.home, 'logs');
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => fs.readFileSync(path.join(dir, name), 'utf8').split('\n'))
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { msg?: string }).msg ?? '');
}

function depsFolders(f: NightFixture): string[] {
  const root = path.join(f.home, 'deps');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .flatMap((workspace) => fs.readdirSync(path.join(root, workspace)).map((hash) => path.join(root, workspace, hash)));
}

describe('a Node repository whose tests need a dev dependency (uvu from the npm registry)', () => {
  it(
    'sets up once, detects the checks, merges a correct fix with test counts, and leaves the checkout and its node_modules alone',
    { timeout: 240_000 },
    async () => {
      const f = await setUp(fixWhatThePromptShows({ wrongUntil: 'the product is wrong' }), nodeRepo);
      // The user's own install in their checkout: ignored by git, and never the engine's to touch.
      fs.mkdirSync(path.join(f.repo.path, 'node_modules', 'uvu'), { recursive: true });
      fs.writeFileSync(
        path.join(f.repo.path, 'node_modules', 'uvu', 'package.json'),
        '{"name":"uvu","version":"0.0.0-users-own"}\n',
      );
      const before = await f.userView();
      expect(before.files['node_modules/uvu/package.json']).toMatch(/^-[0-9a-f]{64}$/);

      const added = await f.cli('workspace', 'add', f.repo.path, '--name', 'calc');
      expect(added.stderr).toBe('');
      expect(added.code).toBe(0);
      const out = added.stdout;
      expect(out).toContain('setup: package-lock.json → npm ci --no-audit --no-fund');
      expect(out).toContain('check test: npm test (detected from package.json scripts.test)');
      expect(out).toMatch(/ {2}setup {3}done {2}npm ci --no-audit --no-fund --cache "\$NOCTURNAL_DEPS_CACHE\/npm" in /);
      expect(out).toMatch(/ {2}test {6}FAIL .* npm test {2}tests 2 passed, 1 failed\n/);
      expect(out).toContain('warning: the test check (npm test) fails (exit code 1) on the base');
      // The install went to the home's cache, not into the repository.
      const [cache, ...others] = depsFolders(f);
      expect(others).toEqual([]);
      expect(fs.existsSync(path.join(cache ?? '', 'node_modules', 'uvu', 'package.json'))).toBe(true);
      expect(await f.userView()).toEqual(before);

      const check = await f.cli('workspace', 'check', 'calc');
      expect(check.code).toBe(0);
      expect(check.stdout).toContain('setup   cached  npm ci');
      expect(check.stdout).toContain('(lock files unchanged: nothing ran)');

      // First attempt: a wrong fix, rejected. Second attempt (retry with a note): the right one.
      const id = (
        await f.cli(
          'task',
          'add',
          'calc',
          'Fix add()',
          '--criteria',
          'add(2, 3) returns 5',
          '--file',
          'math.js',
          '--json',
        )
      ).json<{ id: string }>().id;
      expect((await f.cli('run', '--now')).code).toBe(0);
      const first = await showTask(f, id);
      expect(first.status).toBe('rejected');
      // a * b fixes nothing: add(2, 3) still fails, so the counts do not move and there is no progress.
      expect(first.attempts[0]?.checksAfter?.[0]?.tests).toEqual({ runner: 'uvu', passed: 2, failed: 1, skipped: 0 });

      expect((await f.cli('retry', id, '--note', 'the product is wrong: add must return the sum')).code).toBe(0);
      const run = await f.cli('run', '--now');
      expect(run.code).toBe(0);
      const task = await showTask(f, id);
      expect(task.status, attemptsSummary(task)).toBe('merged');
      const attempt = task.attempts[1];
      expect(attempt?.checksBefore?.[0]).toMatchObject({
        passed: false,
        tests: { runner: 'uvu', passed: 2, failed: 1, skipped: 0 },
      });
      expect(attempt?.checksAfter?.[0]).toMatchObject({
        passed: true,
        tests: { runner: 'uvu', passed: 3, failed: 0, skipped: 0 },
      });
      expect(await f.repo.git('show', 'nocturnal/integration:math.js')).toContain('return a + b;');

      const report = await f.cli('report');
      expect(report.stdout).toContain('test fail → pass (tests 2 passed, 1 failed → 3 passed, 0 failed)');
      const json = (await f.cli('report', '--json')).json<SessionReport>();
      expect(JSON.stringify(json)).toContain('"runner":"uvu"');

      // Setup ran once (at `workspace add`); `workspace check` and both attempts found the cache.
      const messages = logLines(f);
      expect(messages.filter((m) => m.startsWith('dependency setup for calc:'))).toHaveLength(1);
      expect(messages.filter((m) => m.startsWith('dependency cache hit for calc'))).toHaveLength(3);
      expect(depsFolders(f)).toEqual([cache]);
      // Nothing was installed into any worktree on disk, and the user's checkout is as it was.
      expect(
        fs.readdirSync(path.join(f.home, 'worktrees'), { recursive: true }).filter((p) => String(p).includes('uvu')),
      ).toEqual([]);
      expect(await f.userView()).toEqual(before);
    },
  );

  it('gives the setup the network and the checks none', { timeout: 240_000 }, async () => {
    const f = await setUp(fixWhatThePromptShows(), nodeRepo);
    const probe = `node -e "fetch('https://registry.npmjs.org/uvu').then(() => { console.log('network reached'); process.exit(0) }, (e) => { console.log('network refused: ' + (e.cause?.code ?? e.message)); process.exit(3) })"`;
    const added = await f.cli(
      'workspace',
      'add',
      f.repo.path,
      '--name',
      'calc',
      '--test',
      'npm test',
      '--build',
      probe,
    );
    expect(added.code).toBe(0);
    // npm ci fetched from the registry during setup…
    expect(added.stdout).toMatch(/ {2}setup {3}done {2}npm ci/);
    // …while the same registry is unreachable from a check.
    expect(added.stdout).toMatch(/ {2}build {5}FAIL /);
    const result = (await f.cli('workspace', 'check', 'calc', '--json')).json<{
      checks: { name: string; output: string; exitCode: number }[];
    }>();
    const build = result.checks.find((c) => c.name === 'build');
    expect(build?.exitCode).toBe(3);
    expect(build?.output).toMatch(/network refused: (EAI_AGAIN|ENOTFOUND|ENETUNREACH|ECONNREFUSED)/);
    expect(build?.output).not.toContain('network reached');
  });

  it(
    'stops a setup that writes outside its cache, and reports it on the workspace, not the task',
    { timeout: 120_000 },
    async () => {
      const f = await setUp(fixWhatThePromptShows(), nodeRepo);
      const before = await f.userView();
      const escape = `echo pwned > ${f.repo.path}/escaped.txt && echo pwned > /usr/local/nocturnal-escaped && npm ci`;
      const added = await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--setup', escape);
      expect(added.code).toBe(0);
      expect(added.stdout).toContain(`setup: --setup → ${escape}`);
      expect(added.stdout).toContain(`  setup   FAILED  ${escape}`);
      expect(added.stdout).toMatch(
        /warning: the dependency setup of workspace "calc" failed; fix it, then run `nocturnal workspace check calc`/,
      );
      expect(fs.existsSync(path.join(f.repo.path, 'escaped.txt'))).toBe(false);
      expect(fs.existsSync('/usr/local/nocturnal-escaped')).toBe(false);
      expect(depsFolders(f)).toEqual([]);

      const list = await f.cli('workspace', 'list');
      expect(list.stdout).toMatch(/calc\t.*\tsetup: FAILED \(custom, [0-9a-f]{16}\): `echo pwned/);
      const status = await f.cli('status');
      expect(status.stdout).toContain('workspace calc: dependency setup FAILED: `echo pwned');

      // A night does not retry the same failed setup for every task; the task says where to look.
      const id = (await f.cli('task', 'add', 'calc', 'Fix add()', '--json')).json<{ id: string }>().id;
      expect((await f.cli('run', '--now')).code).toBe(0);
      const task = await showTask(f, id);
      expect(task.status).toBe('failed');
      expect(task.attempts[0]?.reasons.at(-1)).toMatch(
        /^the dependency setup of workspace "calc" failed; fix it, then run `nocturnal workspace check calc`/,
      );
      expect(logLines(f).filter((m) => m.startsWith('dependency setup for calc:'))).toHaveLength(1);
      expect(await f.userView()).toEqual(before);
    },
  );

  it(
    'installs a model-made lock-file change offline without install scripts, and holds it for review',
    { timeout: 240_000 },
    async () => {
      // The model also adds is-number to the manifest and the lock file it sees: a package the cache
      // does not hold, so with no network its install cannot happen.
      const addDependency = (prompt: string): object[] => {
        const edits: object[] = [];
        if (prompt.includes('"uvu": "0.5.6"')) {
          edits.push({
            path: 'package.json',
            action: 'replace',
            search: '    "uvu": "0.5.6"',
            replace: '    "is-number": "7.0.0",\n    "uvu": "0.5.6"',
          });
          edits.push({
            path: 'package-lock.json',
            action: 'replace',
            search: '      "devDependencies": {\n        "uvu": "0.5.6"\n      }\n    },',
            replace:
              '      "devDependencies": {\n        "is-number": "7.0.0",\n        "uvu": "0.5.6"\n      }\n    },\n    "node_modules/is-number": {\n      "version": "7.0.0",\n      "resolved": "https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz",\n      "integrity": "sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==",\n      "dev": true,\n      "license": "MIT",\n      "engines": {\n        "node": ">=0.12.0"\n      }\n    },',
          });
        }
        return edits;
      };
      const f = await setUp(fixWhatThePromptShows({ extraEdits: addDependency }), nodeRepo);
      const before = await f.userView();
      expect((await f.cli('workspace', 'add', f.repo.path, '--name', 'calc')).code).toBe(0);
      const id = (
        await f.cli(
          'task',
          'add',
          'calc',
          'Fix add()',
          '--file',
          'math.js',
          '--file',
          'package.json',
          '--file',
          'package-lock.json',
          '--json',
        )
      ).json<{ id: string }>().id;
      expect((await f.cli('run', '--now')).code).toBe(0);

      const task = await showTask(f, id);
      expect(task.status).toBe('review');
      const attempt = task.attempts[0];
      expect(attempt?.diff?.paths).toEqual(['math.js', 'package-lock.json', 'package.json']);
      const reasons = attempt?.reasons.join('\n') ?? '';
      // No network: npm could only look in the cache, which does not hold is-number.
      expect(reasons).toContain(
        'the changed dependencies could not be installed offline (`npm ci --offline --ignore-scripts',
      );
      expect(reasons).toMatch(/only-if-cached|ENOTCACHED/);
      expect(attempt?.scoreBreakdown?.gates).toContain(
        'dependency change (package-lock.json, package.json): never merged automatically, a person must review it',
      );
      expect(attempt?.score).toBe(0.84);
      expect(await f.repo.git('branch', '--list', 'nocturnal/integration')).toBe('');
      // The attempt's own install folder is gone; the base's cache is the only one left.
      expect(depsFolders(f).map((p) => path.basename(p))).toEqual([expect.stringMatching(/^[0-9a-f]{16}$/)]);
      expect(await f.userView()).toEqual(before);
    },
  );
});

const pythonRepo = {
  'requirements.txt': 'pytest\n',
  '.gitignore': '.venv/\n__pycache__/\n.pytest_cache/\n',
  'calc.py': 'def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n',
  'test_calc.py': [
    'from calc import add, mul',
    '',
    '',
    'def test_add():',
    '    assert add(2, 3) == 5',
    '',
    '',
    'def test_add_zero():',
    '    assert add(0, 0) == 0',
    '',
    '',
    'def test_mul():',
    '    assert mul(2, 3) == 6',
    '',
  ].join('\n'),
  'README.md': '# calc\n',
};

describe('a Python repository with a virtualenv (Debian python3-venv and python3-pytest, offline)', () => {
  it(
    'makes the virtualenv once, detects pytest, merges a correct fix with test counts, and leaves the checkout and its .venv alone',
    { timeout: 240_000 },
    async () => {
      const f = await setUp(fixWhatThePromptShows(), pythonRepo);
      fs.mkdirSync(path.join(f.repo.path, '.venv'), { recursive: true });
      fs.writeFileSync(path.join(f.repo.path, '.venv', 'pyvenv.cfg'), 'home = /the/users/own/python\n');
      const before = await f.userView();
      expect(before.files['.venv/pyvenv.cfg']).toMatch(/^-[0-9a-f]{64}$/);

      const added = await f.cli('workspace', 'add', f.repo.path, '--name', 'calc');
      expect(added.stderr).toBe('');
      expect(added.code).toBe(0);
      expect(added.stdout).toContain(
        'setup: requirements.txt → python3 -m venv --system-site-packages .venv && .venv/bin/python -m pip install',
      );
      expect(added.stdout).toContain(
        'check test: .venv/bin/python -m pytest -q (detected from pytest (requirements.txt))',
      );
      expect(added.stdout).toMatch(/ {2}setup {3}done {2}python3 -m venv/);
      expect(added.stdout).toMatch(
        / {2}test {6}FAIL .* \.venv\/bin\/python -m pytest -q {2}tests 2 passed, 1 failed\n/,
      );
      const [cache] = depsFolders(f);
      expect(fs.existsSync(path.join(cache ?? '', '.venv', 'pyvenv.cfg'))).toBe(true);

      const id = (
        await f.cli(
          'task',
          'add',
          'calc',
          'Fix add()',
          '--criteria',
          'add(2, 3) returns 5',
          '--file',
          'calc.py',
          '--json',
        )
      ).json<{ id: string }>().id;
      expect((await f.cli('run', '--now')).code).toBe(0);
      const task = await showTask(f, id);
      expect(task.status, attemptsSummary(task)).toBe('merged');
      expect(task.attempts[0]?.checksAfter?.[0]).toMatchObject({
        passed: true,
        tests: { runner: 'pytest', passed: 3, failed: 0, skipped: 0 },
      });
      expect(await f.repo.git('show', 'nocturnal/integration:calc.py')).toContain('return a + b');
      expect((await f.cli('report')).stdout).toContain(
        'test fail → pass (tests 2 passed, 1 failed → 3 passed, 0 failed)',
      );

      const messages = logLines(f);
      expect(messages.filter((m) => m.startsWith('dependency setup for calc:'))).toHaveLength(1);
      expect(messages.filter((m) => m.startsWith('dependency cache hit for calc'))).toHaveLength(1);
      expect(await f.userView()).toEqual(before);
    },
  );
});
