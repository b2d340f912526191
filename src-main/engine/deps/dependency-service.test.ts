// Parallel attempts of one task ensure the same base's dependencies at the same moment: they must
// share one setup run, not each clear and refill the cache folder under the others.
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
afterEach(async () => {
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
