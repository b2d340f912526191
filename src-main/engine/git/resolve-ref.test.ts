import { describe, expect, it } from 'vitest';
import { NocturnalError } from '../errors/nocturnal-error';
import { resolveCommit, resolveRef, resolveTree } from './resolve-ref';
import { branchExists } from './branch-exists';
import { isAncestor } from './is-ancestor';
import { createTempRepo } from './testing/temp-repo';

describe('resolveRef / resolveCommit / resolveTree', () => {
  it('resolves branches, tags and abbreviations, and answers null for what does not exist', async () => {
    const repo = await createTempRepo();
    try {
      const head = await repo.git('rev-parse', 'HEAD');
      await repo.git('tag', '-a', '-m', 'annotated', 'v1');
      expect(await resolveRef(repo.path, 'main')).toBe(head);
      expect(await resolveRef(repo.path, 'refs/heads/main')).toBe(head);
      expect(await resolveRef(repo.path, head.slice(0, 10))).toBe(head);
      expect(await resolveRef(repo.path, 'v1')).not.toBe(head);
      expect(await resolveCommit(repo.path, 'v1')).toBe(head);
      expect(await resolveTree(repo.path, 'main')).toBe(await repo.git('rev-parse', 'HEAD^{tree}'));
      expect(await resolveRef(repo.path, 'no-such-branch')).toBeNull();
      expect(await resolveCommit(repo.path, 'HEAD~5')).toBeNull();
    } finally {
      await repo.cleanup();
    }
  });

  it('refuses a revision that git would read as an option', async () => {
    const repo = await createTempRepo();
    try {
      await expect(resolveRef(repo.path, '--all')).rejects.toBeInstanceOf(NocturnalError);
      await expect(resolveRef(repo.path, '')).rejects.toMatchObject({ kind: 'validation' });
    } finally {
      await repo.cleanup();
    }
  });
});

describe('branchExists', () => {
  it('knows which branches exist, by short or full name', async () => {
    const repo = await createTempRepo();
    try {
      await repo.git('branch', 'feature/x');
      expect(await branchExists(repo.path, 'main')).toBe(true);
      expect(await branchExists(repo.path, 'feature/x')).toBe(true);
      expect(await branchExists(repo.path, 'refs/heads/feature/x')).toBe(true);
      expect(await branchExists(repo.path, 'feature')).toBe(false);
      expect(await branchExists(repo.path, 'nope')).toBe(false);
    } finally {
      await repo.cleanup();
    }
  });
});

describe('isAncestor', () => {
  it('follows history, counting a commit as its own ancestor', async () => {
    const repo = await createTempRepo();
    try {
      const first = await repo.git('rev-parse', 'HEAD');
      const second = await repo.commit({ 'a.txt': 'a\n' });
      expect(await isAncestor(repo.path, first, second)).toBe(true);
      expect(await isAncestor(repo.path, second, first)).toBe(false);
      expect(await isAncestor(repo.path, second, second)).toBe(true);
    } finally {
      await repo.cleanup();
    }
  });

  it('throws for a revision that does not exist', async () => {
    const repo = await createTempRepo();
    try {
      await expect(isAncestor(repo.path, 'nope', 'main')).rejects.toMatchObject({ name: 'GitError' });
    } finally {
      await repo.cleanup();
    }
  });
});
