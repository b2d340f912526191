// Detection of the setup and the checks from what a repository declares, read from a real commit.
import { afterEach, describe, expect, it } from 'vitest';
import { createTempRepo } from '../git/testing/temp-repo';
import type { TempRepo } from '../git/testing/temp-repo';
import { detectChecks, missingProgram } from './detect-checks';
import { dependencyFilesIn, detectSetup } from './detect-setup';
import { filesAtCommit, filesInFolder } from './repo-files';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

async function committed(files: Record<string, string>) {
  repo = await createTempRepo({ files });
  return filesAtCommit(repo.path, await repo.git('rev-parse', 'HEAD'), {});
}

describe('detectSetup', () => {
  it('picks npm ci for a package-lock.json, with the offline, script-free variant for model changes', async () => {
    const files = await committed({ 'package.json': '{"scripts":{"test":"uvu tests"}}', 'package-lock.json': '{}' });
    const plan = await detectSetup(files);
    expect(plan).toEqual({
      kind: 'npm',
      command: 'npm ci --no-audit --no-fund --cache "$NOCTURNAL_DEPS_CACHE/npm"',
      offlineCommand: 'npm ci --offline --ignore-scripts --no-audit --no-fund --cache "$NOCTURNAL_DEPS_CACHE/npm"',
      inputs: ['package-lock.json', 'package.json'],
      env: {},
      outputs: ['node_modules'],
      reason: 'package-lock.json → npm ci --no-audit --no-fund',
    });
    expect(await detectChecks(files, plan)).toEqual([
      { name: 'test', command: 'npm test', source: 'package.json scripts.test' },
    ]);
  });

  it('reads what was committed, not the working tree', async () => {
    const files = await committed({ 'README.md': '# x\n' });
    await repo?.write({ 'package-lock.json': '{}', 'package.json': '{}' });
    expect(await detectSetup(files)).toBeNull();
    expect(await detectSetup(filesInFolder(repo?.path ?? ''))).toMatchObject({ kind: 'npm' });
  });

  it('knows pnpm, yarn, uv, poetry, pip, cargo and go by their lock files', async () => {
    const kinds: [string, string][] = [
      ['pnpm-lock.yaml', 'pnpm'],
      ['yarn.lock', 'yarn'],
      ['uv.lock', 'uv'],
      ['poetry.lock', 'poetry'],
      ['requirements.txt', 'pip'],
      ['Cargo.lock', 'cargo'],
      ['go.sum', 'go'],
    ];
    for (const [lock, kind] of kinds) {
      const plan = await detectSetup(filesInFolderWith({ [lock]: '' }));
      expect(plan?.kind, lock).toBe(kind);
    }
    expect((await detectSetup(filesInFolderWith({ 'pyproject.toml': '[project]\n' })))?.command).toBe(
      'python3 -m venv --system-site-packages .venv',
    );
    expect(await detectSetup(filesInFolderWith({ 'README.md': '' }))).toBeNull();
  });

  it('lets --setup replace the command but keeps what the lock files say about inputs and outputs', async () => {
    const plan = await detectSetup(
      filesInFolderWith({ 'package-lock.json': '{}', 'package.json': '{}' }),
      'npm install',
    );
    expect(plan).toMatchObject({
      kind: 'custom',
      command: 'npm install',
      offlineCommand: null,
      inputs: ['package-lock.json', 'package.json'],
      outputs: ['node_modules'],
      reason: '--setup → npm install',
    });
  });
});

describe('detectChecks', () => {
  it("suggests package.json scripts with the package manager in use, skipping npm init's placeholder test", async () => {
    const scripts = {
      test: 'echo "Error: no test specified" && exit 1',
      lint: 'eslint .',
      typecheck: 'tsc --noEmit',
      build: 'vite build',
    };
    const files = filesInFolderWith({ 'package.json': JSON.stringify({ scripts }), 'pnpm-lock.yaml': '' });
    expect(await detectChecks(files, await detectSetup(files))).toEqual([
      { name: 'typecheck', command: 'pnpm run typecheck', source: 'package.json scripts.typecheck' },
      { name: 'lint', command: 'pnpm run lint', source: 'package.json scripts.lint' },
      { name: 'build', command: 'pnpm run build', source: 'package.json scripts.build' },
    ]);
  });

  it('suggests pytest in the virtualenv, cargo, go and Makefile targets', async () => {
    const python = filesInFolderWith({ 'pyproject.toml': '[tool.pytest.ini_options]\n', 'uv.lock': '' });
    expect(await detectChecks(python, await detectSetup(python))).toEqual([
      { name: 'test', command: '.venv/bin/python -m pytest -q', source: 'pytest (pyproject.toml [tool.pytest])' },
    ]);
    expect(await detectChecks(filesInFolderWith({ 'Cargo.toml': '[package]\n' }), null)).toEqual([
      { name: 'test', command: 'cargo test --offline', source: 'Cargo.toml' },
      { name: 'typecheck', command: 'cargo check --offline', source: 'Cargo.toml' },
    ]);
    expect((await detectChecks(filesInFolderWith({ 'go.mod': 'module m\n' }), null)).map((c) => c.command)).toEqual([
      'go test -v ./...',
      'go vet ./...',
    ]);
    expect(
      await detectChecks(
        filesInFolderWith({ Makefile: 'lint:\n\tshellcheck *.sh\ntest: build\n\t./run-tests\n' }),
        null,
      ),
    ).toEqual([
      { name: 'test', command: 'make test', source: 'Makefile target test' },
      { name: 'lint', command: 'make lint', source: 'Makefile target lint' },
    ]);
  });
});

describe('missingProgram', () => {
  it("names a program that is not on PATH, or only in the user's home", () => {
    expect(missingProgram('sh -c true', { path: '/usr/bin:/bin', home: '/root', setupPlanned: false })).toBeNull();
    expect(missingProgram('no-such-tool-xyz test', { path: '/usr/bin:/bin', home: '/root', setupPlanned: false })).toBe(
      'no-such-tool-xyz',
    );
    expect(missingProgram('sh -c true', { path: '/home/u/bin', home: '/home/u', setupPlanned: false })).toBe('sh');
    expect(missingProgram('.venv/bin/python -m pytest', { path: '', home: '/root', setupPlanned: true })).toBeNull();
    expect(missingProgram('.venv/bin/python -m pytest', { path: '', home: '/root', setupPlanned: false })).toBe(
      '.venv/bin/python',
    );
  });
});

describe('dependencyFilesIn', () => {
  it('finds manifests and lock files anywhere in a change', () => {
    expect(
      dependencyFilesIn([
        'src/a.ts',
        'package.json',
        'packages/x/package-lock.json',
        'requirements-dev.txt',
        'go.sum',
        'docs/package.md',
      ]),
    ).toEqual(['package.json', 'packages/x/package-lock.json', 'requirements-dev.txt', 'go.sum']);
  });
});

/** An in-memory repository view (detection only reads). */
function filesInFolderWith(files: Record<string, string>) {
  return { read: async (p: string) => files[p] ?? null };
}
