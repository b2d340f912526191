// The ref files are read only where they give git's own answer; every other shape says "ask git".
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineWorktree } from './engine-worktree';
import { readLooseBranch, readLooseHead } from './read-loose-ref';
import type { TempRepo } from './testing/temp-repo';
import { createTempWorktree } from './testing/temp-worktree';
import type { TempWorktree } from './testing/temp-worktree';

let repo: TempRepo;
let worktree: EngineWorktree;

let fixture: TempWorktree;
beforeEach(async () => {
  fixture = await createTempWorktree({ files: { 'a.txt': 'a\n' }, branch: 'nocturnal/t/1' });
  ({ repo, worktree } = fixture);
});
afterEach(() => fixture.cleanup());

const refFile = () => path.join(worktree.commonDir, 'refs/heads/nocturnal/t/1');

describe('readLooseBranch and readLooseHead', () => {
  it('answer what git answers for a loose branch and for HEAD on it or detached', async () => {
    const tip = await repo.git('rev-parse', 'refs/heads/nocturnal/t/1');
    expect(await readLooseBranch(worktree.commonDir, 'nocturnal/t/1')).toBe(tip);
    expect(await readLooseHead(worktree)).toBe(tip);
    fs.writeFileSync(path.join(worktree.gitDir, 'HEAD'), `${tip}\n`);
    expect(await readLooseHead(worktree)).toBe(tip);
  });

  it('say "ask git" for a packed ref, a symbolic ref, odd content, a symlink and unsafe names', async () => {
    const tip = await repo.git('rev-parse', 'refs/heads/nocturnal/t/1');
    await repo.git('pack-refs', '--all');
    expect(fs.existsSync(refFile())).toBe(false);
    expect(await readLooseBranch(worktree.commonDir, 'nocturnal/t/1')).toBeNull();
    expect(await readLooseHead(worktree)).toBeNull();
    expect(await repo.git('rev-parse', 'refs/heads/nocturnal/t/1')).toBe(tip);

    fs.mkdirSync(path.dirname(refFile()), { recursive: true });
    fs.writeFileSync(refFile(), 'ref: refs/heads/main\n');
    expect(await readLooseBranch(worktree.commonDir, 'nocturnal/t/1')).toBeNull();
    fs.writeFileSync(refFile(), `${tip}\nextra\n`);
    expect(await readLooseBranch(worktree.commonDir, 'nocturnal/t/1')).toBeNull();
    fs.rmSync(refFile());
    fs.symlinkSync(path.join(worktree.commonDir, 'refs/heads/main'), refFile());
    expect(await readLooseBranch(worktree.commonDir, 'nocturnal/t/1')).toBeNull();
    expect(await readLooseBranch(worktree.commonDir, '../../HEAD')).toBeNull();
    expect(await readLooseBranch(worktree.commonDir, '')).toBeNull();
  });
});
