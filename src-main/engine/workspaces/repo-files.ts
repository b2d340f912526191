// What detection reads: a repository's files either as committed (the base commit: what setup and
// baseline run on) or as a folder on disk (the API's `workspaces:detect {path}`, before anything is
// registered). Only reads, and only paths inside the repository.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readBlobAt } from '../git/read-blob';
import type { GitCallOptions } from '../git/run-git';
import { isOid } from '../git/refs';
import { topLevelNames } from '../git/top-level-names';

export interface RepoFiles {
  /** The file's text, or null when it is not there. */
  read(relativePath: string): Promise<string | null>;
}

export function filesAtCommit(repoPath: string, commit: string, git: GitCallOptions): RepoFiles {
  // Detection mostly asks about files at the root that are not there: one listing of the root answers
  // those without a git process each (the listing is taken on the first question, then reused).
  let root: Promise<Set<string>> | null = null;
  return {
    async read(relativePath) {
      if (isOid(commit) && !relativePath.includes('/')) {
        root ??= topLevelNames(repoPath, commit, git);
        if (!(await root).has(relativePath)) return null;
      }
      const blob = await readBlobAt(repoPath, commit, relativePath, git);
      return blob.kind === 'found' ? blob.content.toString('utf8') : null;
    },
  };
}

export function filesInFolder(folder: string): RepoFiles {
  return {
    async read(relativePath) {
      if (path.isAbsolute(relativePath) || relativePath.split('/').includes('..')) return null;
      return readFile(path.join(folder, relativePath), 'utf8').catch(() => null);
    },
  };
}
