// Parallel attempts of one task ensure the same base's dependencies at the same moment: they must
// share one setup run, not each clear and refill the cache folder under the others.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-shared/config/schema';
import { homePaths } from '../config/home';
import { createTempDir, createTempRepo } from '../git/testing/temp-repo';
import type { TempRepo } from '../git/testing/temp-repo';
import { silentLogger } from '../log/logger';
import { openStore } from '../store/store';
import type { Store } from '../store/store';
import { DependencyService } from './dependency-service';

let cleanups: Array<() => Promise<void>> = [];
const originalPath = process.env['PATH'];
afterEach(async () => {
  process.env['PATH'] = originalPath;
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

describe('DependencyService.ensure under parallel attempts', () => {
  it('runs one setup for concurrent callers on the same base', async () => {
    const home = await createTempDir('nocturnal-deps-');
    const counter = await createTempDir('nocturnal-deps-count-');
    const repo: TempRepo = await createTempRepo({ files: { 'package.json': '{"name":"x"}\n' } });
    cleanups.push(home.cleanup, counter.cleanup, repo.cleanup);
    const store: Store = openStore(path.join(home.path, 'nocturnal.db'));
    cleanups.push(async () => store.close());
    const runs = path.join(counter.path, 'runs.txt');
    // Sandbox off for this test only, so the setup can count its runs in a folder outside the cache.
    const workspace = store.workspaces.add(
      {
        name: 'x',
        path: repo.path,
        baseBranch: 'main',
        targetBranch: 'nocturnal/integration',
        checks: {},
        setupCommand: `echo run >> ${runs}; sleep 0.5; echo done > made.txt`,
      },
      new Date(),
    );
    const safety = { ...defaultConfig().safety, sandbox: 'off' as const };
    const service = new DependencyService({
      paths: homePaths(home.path),
      store,
      safety,
      git: {},
      log: silentLogger(),
      now: () => new Date(),
    });
    const base = await repo.git('rev-parse', 'HEAD');

    const outcomes = await Promise.all([
      service.ensure(workspace, base),
      service.ensure(workspace, base),
      service.ensure(workspace, base),
    ]);
    expect(fs.readFileSync(runs, 'utf8')).toBe('run\n');
    expect(outcomes.map((o) => o.kind)).toEqual(['ready', 'ready', 'ready']);
    const folder = outcomes[0]?.kind === 'ready' ? outcomes[0].view.folder : '';
    expect(fs.readFileSync(path.join(folder, 'made.txt'), 'utf8')).toBe('done\n');

    // A later caller hits the cache the shared run left.
    expect(await service.ensure(workspace, base)).toMatchObject({ kind: 'ready', cacheHit: true });
    expect(fs.readFileSync(runs, 'utf8')).toBe('run\n');
  });
});

describe('DependencyService setup inputs', () => {
  it("reads a commit's lock files once, and a commit that changes them afresh", async () => {
    const home = await createTempDir('nocturnal-deps-');
    const shim = await createTempDir('nocturnal-deps-git-');
    const repo: TempRepo = await createTempRepo({
      files: { 'package.json': '{"name":"x"}\n', 'package-lock.json': '{"lockfileVersion":3,"v":1}\n' },
    });
    cleanups.push(home.cleanup, shim.cleanup, repo.cleanup);
    const store: Store = openStore(path.join(home.path, 'nocturnal.db'));
    cleanups.push(async () => store.close());
    const workspace = store.workspaces.add(
      {
        name: 'x',
        path: repo.path,
        baseBranch: 'main',
        targetBranch: 'nocturnal/integration',
        checks: {},
        setupCommand: 'echo done > made.txt',
      },
      new Date(),
    );
    const service = new DependencyService({
      paths: homePaths(home.path),
      store,
      safety: { ...defaultConfig().safety, sandbox: 'off' as const },
      git: {},
      log: silentLogger(),
      now: () => new Date(),
    });
    // A git on PATH that logs each call, so the test sees which reads reach git.
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const log = path.join(shim.path, 'calls.log');
    fs.writeFileSync(log, '');
    fs.writeFileSync(path.join(shim.path, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${realGit}' "$@"\n`);
    fs.chmodSync(path.join(shim.path, 'git'), 0o755);
    process.env['PATH'] = `${shim.path}${path.delimiter}${originalPath ?? ''}`;
    const lockReads = () =>
      fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l.includes(' cat-file ') && l.includes(':package-lock.json')).length;
    const base = await repo.git('rev-parse', 'HEAD');

    const first = await service.ensure(workspace, base);
    expect(first).toMatchObject({ kind: 'ready', cacheHit: false });
    const afterFirst = lockReads();
    expect(afterFirst).toBeGreaterThan(0);
    // The next attempts on the same base: a cache hit, and no git process for the lock file.
    expect(await service.ensure(workspace, base)).toMatchObject({ kind: 'ready', cacheHit: true });
    expect(await service.ensure(workspace, base)).toMatchObject({ kind: 'ready', cacheHit: true });
    expect(lockReads()).toBe(afterFirst);

    // A commit that changes the lock file is read again: another hash, another setup.
    fs.writeFileSync(path.join(repo.path, 'package-lock.json'), '{"lockfileVersion":3,"v":2}\n');
    await repo.git('commit', '-qam', 'bump lock');
    const next = await repo.git('rev-parse', 'HEAD');
    const second = await service.ensure(workspace, next);
    expect(second).toMatchObject({ kind: 'ready', cacheHit: false });
    expect(lockReads()).toBeGreaterThan(afterFirst);
    const hash = (o: typeof first) => (o.kind === 'ready' ? o.view.hash : '');
    expect(hash(second)).not.toBe(hash(first));
    const folder = second.kind === 'ready' ? second.view.folder : '';
    expect(fs.readFileSync(path.join(folder, 'package-lock.json'), 'utf8')).toBe('{"lockfileVersion":3,"v":2}\n');
  });
});
