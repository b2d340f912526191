// Tests' view of a commit's entries, as the context builder lists them (`git ls-files --stage`).
import { runGit } from '../../../git/run-git';
import type { CommitBlob } from '../outline-cache';

export async function stagedBlobs(worktree: string): Promise<Map<string, CommitBlob>> {
  const out = (await runGit(worktree, ['ls-files', '--stage', '-z'])).stdout;
  const blobs = new Map<string, CommitBlob>();
  for (const entry of out.split('\0').filter((e) => e !== '')) {
    const [meta = '', file = ''] = entry.split('\t');
    const [mode = '', oid = ''] = meta.split(' ');
    blobs.set(file, { mode, oid });
  }
  return blobs;
}
