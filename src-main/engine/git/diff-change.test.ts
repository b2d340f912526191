// One `git diff --numstat -z -p` must say exactly what the two separate commands say: the same sizes
// and the same text, capped the same way, whatever the paths look like.
import { afterEach, describe, expect, it } from 'vitest';
import { getDiffChange } from './diff-change';
import { getDiffStats } from './diff-stats';
import { getDiffText } from './diff-text';
import { observeGitSpawns } from './run-git';
import { createTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

describe('getDiffChange', () => {
  it('gives the sizes and text of the separate commands in one git process', async () => {
    const body = Array.from({ length: 40 }, (_, i) => `line ${i}\n`).join('');
    repo = await createTempRepo({
      files: { 'a.txt': 'one\ntwo\nthree\n', 'old name.txt': body, 'gone.txt': 'x\ny\n', 'tab\there.txt': 't\n' },
    });
    const from = await repo.git('rev-parse', 'HEAD');
    await repo.git('mv', 'old name.txt', 'new name.txt');
    const to = await repo.commit(
      {
        'a.txt': 'one\n2\nthree\nfour\n',
        'gone.txt': null,
        'pic.bin': '\u0000\u0001\u0002binary',
        'new name.txt': `${body}extra\n`,
        'old name.txt': null,
        'naïve "quoted".txt': 'unicode and quotes\n',
        'tab\there.txt': 't2\n',
      },
      'change things',
    );
    let spawned = 0;
    const stop = observeGitSpawns(() => spawned++);
    const change = await getDiffChange(repo.path, from, to);
    stop();
    expect(spawned).toBe(1);
    expect(change.stats).toEqual(await getDiffStats(repo.path, from, to));
    expect(change.text).toEqual(await getDiffText(repo.path, from, to));
    expect(change.stats.files.map((f) => f.path)).toContain('naïve "quoted".txt');
    expect(change.text.text).toContain('+four');

    // Capped like getDiffText: whole lines, and says so.
    for (const maxBytes of [0, 100, 500]) {
      const capped = await getDiffChange(repo.path, from, to, { maxBytes });
      expect(capped.text).toEqual(await getDiffText(repo.path, from, to, { maxBytes }));
      expect(capped.text.truncated).toBe(true);
      expect(capped.stats).toEqual(change.stats);
    }
  });

  it('says an unchanged pair of commits changed nothing', async () => {
    repo = await createTempRepo({ files: { 'a.txt': 'a\n' } });
    const head = await repo.git('rev-parse', 'HEAD');
    expect(await getDiffChange(repo.path, head, head)).toEqual({
      stats: { files: [], insertions: 0, deletions: 0, binaryFiles: 0 },
      text: { text: '', truncated: false },
    });
  });
});
