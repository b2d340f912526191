import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { safetySectionSchema } from '../../../src-shared/config/schema';
import { getDiffStats } from '../git/diff-stats';
import { createTempRepo } from '../git/testing/temp-repo';
import type { TempRepo } from '../git/testing/temp-repo';
import { checkFinalDiff } from './final-diff-gate';

let repo: TempRepo;
let base: string;
const safety = safetySectionSchema.parse({ max_file_changes: 4, max_changed_lines: 50 });

beforeEach(async () => {
  repo = await createTempRepo({ files: { 'src/a.js': 'a\n', '.env.example': 'X=1\n' } });
  base = await repo.git('rev-parse', 'HEAD');
});
afterEach(async () => {
  await repo.cleanup();
});

describe('checkFinalDiff', () => {
  it('accepts an ordinary change', async () => {
    const head = await repo.commit({ 'src/a.js': 'a\nb\n', 'src/a.test.js': 'test\n' });
    expect(checkFinalDiff(await getDiffStats(repo.path, base, head), safety)).toEqual([]);
  });

  it('refuses protected paths and binary files that reached a commit by another way than an edit (a check wrote them)', async () => {
    const head = await repo.commit({
      '.github/workflows/evil.yml': 'on: push\n',
      'src/a.js': null,
      '.env': 'TOKEN=x\n',
      'blob.bin': '\u0000\u0001binary',
    });
    const violations = checkFinalDiff(await getDiffStats(repo.path, base, head), safety);
    expect(violations).toEqual([
      'the committed change touches ".env", which matches safety.protected_paths pattern ".env*"',
      'the committed change touches ".github/workflows/evil.yml", which matches safety.protected_paths pattern ".github/workflows/**"',
      'the committed change contains the binary file "blob.bin"; edits write text only',
    ]);
  });

  it('judges both names of a rename', async () => {
    await repo.git('mv', '.env.example', 'config.example');
    await repo.git('commit', '-q', '--no-verify', '-m', 'rename');
    const head = await repo.git('rev-parse', 'HEAD');
    expect(checkFinalDiff(await getDiffStats(repo.path, base, head), safety)).toEqual([
      'the committed change touches ".env.example", which matches safety.protected_paths pattern ".env*"',
    ]);
  });

  it('applies the file and line limits to the whole diff', async () => {
    const files = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`src/f${i}.js`, 'line\n'.repeat(12)]));
    const head = await repo.commit(files);
    expect(checkFinalDiff(await getDiffStats(repo.path, base, head), safety)).toEqual([
      'the committed change touches 5 files, more than safety.max_file_changes 4',
      'the committed change has 60 changed lines, more than safety.max_changed_lines 50',
    ]);
  });
});
