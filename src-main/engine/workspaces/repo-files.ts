// What detection reads: a repository's files either as committed (the base commit: what setup and
// baseline run on) or as a folder on disk (the API's `workspaces:detect {path}`, before anything is
// registered). Only reads, and only paths inside the repository.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readBlobAt } from '../git/read-blob';
import type { GitCallOptions } from '../git/run-git';

export interface RepoFiles {
  /** The file's text, or null when it is not there. */
  read(relativePath: string): Promise<string | null>;
}

export function filesAtCommit(repoPath: string, commit: string, git: GitCallOptions): RepoFiles {
  return {
    async read(relativePath) {
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
