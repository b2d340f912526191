import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineWorktree } from './engine-worktree';
import type { TempRepo } from './testing/temp-repo';
import { createTempWorktree } from './testing/temp-worktree';
import type { TempWorktree } from './testing/temp-worktree';
import { snapshotWorktreeIntegrity, verifyWorktreeIntegrity } from './worktree-integrity';
import { observeGitSpawns } from './run-git';

let repo: TempRepo;
let worktree: EngineWorktree;

let fixture: TempWorktree;
beforeEach(async () => {
  fixture = await createTempWorktree({ files: { 'a.txt': 'a\n', 'src/b.txt': 'b\n' }, branch: 'nocturnal/t/1' });
  ({ repo, worktree } = fixture);
});
afterEach(() => fixture.cleanup());

const at = (...parts: string[]) => path.join(worktree.path, ...parts);
const git = (...args: string[]) => repo.git('--git-dir', worktree.gitDir, '--work-tree', worktree.path, ...args);

/** Snapshot, let `tamper` act like a check, verify. */
async function afterCheck(tamper: () => Promise<void> | void) {
  const before = await snapshotWorktreeIntegrity(worktree);
  await tamper();
  return verifyWorktreeIntegrity(worktree, before);
}

describe('worktree integrity after a check', () => {
  it('is intact after what checks normally do: edit, create and delete files, build output, a git status', async () => {
    const result = await afterCheck(async () => {
      fs.writeFileSync(at('a.txt'), 'changed\n');
      fs.rmSync(at('src/b.txt'));
      fs.mkdirSync(at('dist'));
      fs.writeFileSync(at('dist/out.js'), 'built\n');
      await git('status', '--porcelain');
    });
    expect(result).toEqual({ kind: 'intact' });
  });

  it.each([
    ['.git file rewritten', () => fs.writeFileSync(at('.git'), `gitdir: ${path.join(repo.path, '.git')}\n`)],
    [
      '.git file replaced by a directory',
      () => {
        fs.rmSync(at('.git'));
        fs.mkdirSync(at('.git'));
      },
    ],
    [
      '.git file replaced by a symlink',
      () => {
        fs.rmSync(at('.git'));
        fs.symlinkSync(path.join(repo.path, '.git'), at('.git'));
      },
    ],
    ['.git file removed', () => fs.rmSync(at('.git'))],
    [
      "config.worktree was added in the worktree's admin folder",
      () => fs.writeFileSync(path.join(worktree.gitDir, 'config.worktree'), '[filter "x"]\n\tclean = touch /tmp/x\n'),
    ],
    [
      'HEAD no longer points at the attempt branch nocturnal/t/1',
      () => fs.writeFileSync(path.join(worktree.gitDir, 'HEAD'), 'ref: refs/heads/main\n'),
    ],
    [
      "the admin folder's gitdir no longer names this worktree",
      () => fs.writeFileSync(path.join(worktree.gitDir, 'gitdir'), '/elsewhere/.git\n'),
    ],
    [
      "config was changed in the repository's git dir",
      () => fs.appendFileSync(path.join(worktree.commonDir, 'config'), '[filter "x"]\n\tclean = touch /tmp/x\n'),
    ],
    [
      "info/attributes was added in the repository's git dir",
      () => {
        fs.mkdirSync(path.join(worktree.commonDir, 'info'), { recursive: true });
        fs.writeFileSync(path.join(worktree.commonDir, 'info', 'attributes'), '* filter=x\n');
      },
    ],
    ['a git dir or file was planted at src/.git', () => fs.writeFileSync(at('src/.git'), 'gitdir: /elsewhere\n')],
    ['a git dir or file was planted at dist/deep/.git', () => fs.mkdirSync(at('dist/deep/.git'), { recursive: true })],
  ])('reports "%s"', async (finding, tamper) => {
    expect(await afterCheck(tamper)).toEqual({ kind: 'tampered', findings: [finding] });
  });

  it('reports a .git that was already there before the check: the snapshot excuses none', async () => {
    // Nothing the engine does makes one (git, the path guard and the pool keep them out), so one
    // found before the check is as planted as one made during it; the snapshot no longer walks.
    fs.writeFileSync(at('src/.git'), 'gitdir: /elsewhere\n');
    expect(await afterCheck(() => undefined)).toEqual({
      kind: 'tampered',
      findings: ['a git dir or file was planted at src/.git'],
    });
  });

  it('asks git about the branch and the index only once the wiring is intact: a moved branch, a staged file', async () => {
    const moved = await afterCheck(async () => {
      const other = await repo.git('commit-tree', '-m', 'planted', `${await repo.git('rev-parse', 'main')}^{tree}`);
      await repo.git('update-ref', 'refs/heads/nocturnal/t/1', other);
    });
    expect(moved).toEqual({ kind: 'tampered', findings: ['the attempt branch nocturnal/t/1 was moved'] });
  });

  // The branch is read from its loose ref file when that holds a plain object id; every other shape
  // goes to git. Each way of moving it is still seen.
  it.each([
    [
      'packed-refs behind a deleted loose ref',
      (other: string) => {
        fs.rmSync(path.join(worktree.commonDir, 'refs/heads/nocturnal/t/1'));
        fs.appendFileSync(path.join(worktree.commonDir, 'packed-refs'), `${other} refs/heads/nocturnal/t/1\n`);
      },
    ],
    [
      'a symbolic ref in the loose file',
      async () => {
        await repo.git('branch', 'decoy', 'main');
        fs.writeFileSync(path.join(worktree.commonDir, 'refs/heads/nocturnal/t/1'), 'ref: refs/heads/decoy\n');
      },
    ],
    [
      'a loose file written by hand',
      (other: string) => fs.writeFileSync(path.join(worktree.commonDir, 'refs/heads/nocturnal/t/1'), `${other}\n`),
    ],
  ])('reports the attempt branch moved through %s', async (_how, move) => {
    const main = await repo.git('rev-parse', 'main');
    const other = await repo.git('commit-tree', '-m', 'planted', `${main}^{tree}`);
    // The branch is at main (loose, as worktree add wrote it); `decoy` is made at a planted commit.
    const moved = await afterCheck(async () => {
      await move(other);
      if ((await repo.git('branch', '--list', 'decoy')) !== '') await repo.git('update-ref', 'refs/heads/decoy', other);
    });
    expect(moved).toEqual({ kind: 'tampered', findings: ['the attempt branch nocturnal/t/1 was moved'] });
  });

  it('spawns no git when the index and the branch are untouched, and still sees a status refresh as intact', async () => {
    let spawned = 0;
    const stop = observeGitSpawns(() => spawned++);
    try {
      expect(await afterCheck(() => fs.writeFileSync(at('a.txt'), 'changed by a test\n'))).toEqual({ kind: 'intact' });
      expect(spawned).toBe(0);
      // A git run by the check may rewrite the index with the same entries (here: stage, then unstage):
      // the bytes differ, so git compares the listings of the copy and of the index now.
      const indexFile = path.join(worktree.gitDir, 'index');
      const bytesBefore = fs.readFileSync(indexFile);
      const refreshed = await afterCheck(async () => {
        fs.writeFileSync(at('src/b.txt'), 'b2\n');
        await git('add', 'src/b.txt');
        await git('reset', '-q');
      });
      expect(fs.readFileSync(indexFile).equals(bytesBefore)).toBe(false);
      expect(refreshed).toEqual({ kind: 'intact' });
    } finally {
      stop();
    }
  });

  it('reports files a check staged for the next commit', async () => {
    const staged = await afterCheck(async () => {
      fs.writeFileSync(at('evil.sh'), 'echo hi\n');
      await git('add', 'evil.sh');
    });
    expect(staged).toEqual({ kind: 'tampered', findings: ["files were staged in the worktree's index"] });
  });

  it('says the repository is gone rather than blaming the check when the repository was deleted', async () => {
    expect(await afterCheck(() => fs.rmSync(repo.path, { recursive: true, force: true }))).toEqual({
      kind: 'repository-gone',
    });
  });
});
