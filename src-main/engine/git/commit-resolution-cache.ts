// The base and target commits an attempt starts from, without a `rev-parse` on every attempt of the
// night (issue 12: a git process per attempt). git answers the first time; the answer is kept with the
// evidence it rests on, read from the files git's files backend resolves those names from, and reused
// only while that evidence is byte for byte the same.
//
// What `rev-parse NAME^{commit}` reads: the first of the candidates git tries for NAME (`NAME`,
// `refs/NAME`, `refs/tags/NAME`, `refs/heads/NAME`, `refs/remotes/NAME`, `refs/remotes/NAME/HEAD`)
// that exists as a loose ref file or in packed-refs, then the object it names (immutable: an object id
// is its content). The evidence is every candidate's loose file — absent, a folder, or exactly one
// object id, compared by content — and packed-refs by its content's hash; a packed-refs over 1 MiB
// (tens of thousands of refs) by what lstat says of it instead (git replaces it by renaming a new file
// over it: a new inode and a new change time). Anything else answers "no evidence" and git is asked
// every time: a symbolic or otherwise unusual ref file, a large packed-refs changed within the last
// seconds (a rewrite in the same clock tick could leave its stat data as it was), a repository whose
// `.git` is not a plain folder (a linked worktree or submodule, refs split between two folders), the
// reftable backend (no loose files to read), and names that are not plain ref names (an abbreviated
// object id resolves differently as objects are added; `@{…}`, `^` and `~` read more than refs).
//
// The evidence is read before git is asked: a ref that moves in between leaves the answer paired with
// evidence older than it, and the next lookup sees different evidence and asks again.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveCommits } from './resolve-commits';
import type { GitCallOptions } from './run-git';

const RULES = ['%s', 'refs/%s', 'refs/tags/%s', 'refs/heads/%s', 'refs/remotes/%s', 'refs/remotes/%s/HEAD'];
const OID_LINE = /^([0-9a-f]{40}|[0-9a-f]{64})\n$/;
// Plain ref names only; a name git could also read as an (abbreviated) object id is never cached.
const PLAIN_NAME = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*\/$)[A-Za-z0-9._/-]+$/;
const HEX_NAME = /^[0-9a-fA-F]{4,64}$/;
/** How old a large packed-refs' change time must be for its stat data to stand for its content. */
const SETTLED_MS = 2000;
/** Up to this size packed-refs is read and hashed; above it, its stat data stands for it. */
const PACKED_READ_BYTES = 1024 * 1024;
const MAX_ANSWERS = 64;

export class CommitResolutionCache {
  private readonly answers = new Map<string, { evidence: string; commits: (string | null)[] }>();
  /** Lookups answered from the cache and by git, since it was made (for tests and the bench). */
  readonly stats = { reused: 0, asked: 0 };

  constructor(private readonly limits: EvidenceLimits = {}) {}

  /** `resolveCommits(repoPath, revs)`, from the kept answer while its evidence is unchanged. */
  async resolve(repoPath: string, revs: readonly string[], opts: GitCallOptions = {}): Promise<(string | null)[]> {
    const key = `${repoPath}\0${revs.join('\0')}`;
    const evidence = refEvidence(repoPath, revs, this.limits);
    const known = this.answers.get(key);
    if (evidence !== null && known !== undefined && known.evidence === evidence) {
      this.stats.reused++;
      return [...known.commits];
    }
    this.stats.asked++;
    const commits = await resolveCommits(repoPath, revs, opts);
    this.answers.delete(key);
    if (evidence !== null) {
      this.answers.set(key, { evidence, commits: [...commits] });
      for (const oldest of this.answers.keys()) {
        if (this.answers.size <= MAX_ANSWERS) break;
        this.answers.delete(oldest);
      }
    }
    return commits;
  }
}

/** Tests lower them to reach the large-packed-refs path and the settle rule. */
export interface EvidenceLimits {
  settledMs?: number;
  packedReadBytes?: number;
}

/** What the answer for `revs` rests on, as one string; null when it cannot be read exactly. */
export function refEvidence(repoPath: string, revs: readonly string[], limits: EvidenceLimits = {}): string | null {
  const gitDir = path.join(repoPath, '.git');
  if (kindOf(gitDir) !== 'dir') return null;
  // A linked worktree's admin folder names its common dir; reftable keeps refs outside loose files.
  if (kindOf(path.join(gitDir, 'commondir')) !== 'absent') return null;
  if (kindOf(path.join(gitDir, 'reftable')) !== 'absent') return null;
  if (kindOf(path.join(gitDir, 'refs', 'heads')) !== 'dir') return null;
  const parts: string[] = [];
  for (const rev of revs) {
    if (!PLAIN_NAME.test(rev) || HEX_NAME.test(rev) || rev.split('/').some((p) => p === '.' || p.startsWith('.')))
      return null;
    for (const rule of RULES) {
      const name = rule.replace('%s', rev);
      const file = readRefFile(path.join(gitDir, ...name.split('/')));
      if (file === null) return null;
      parts.push(`${name}=${file}`);
    }
  }
  const packed = packedRefsKey(
    path.join(gitDir, 'packed-refs'),
    limits.settledMs ?? SETTLED_MS,
    limits.packedReadBytes ?? PACKED_READ_BYTES,
  );
  if (packed === null) return null;
  parts.push(`packed-refs=${packed}`);
  return parts.join('\n');
}

/** 'absent', 'dir', or the object id a loose ref file holds; null for anything git could read otherwise. */
function readRefFile(file: string): string | null {
  const kind = kindOf(file);
  if (kind !== 'file') return kind === 'absent' || kind === 'dir' ? kind : null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  return OID_LINE.exec(text)?.[1] ?? null;
}

function packedRefsKey(file: string, settledMs: number, readBytes: number): string | null {
  let info;
  try {
    info = lstatSync(file, { bigint: true });
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : null;
  }
  if (!info.isFile()) return null;
  if (info.size <= BigInt(readBytes)) {
    try {
      return `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
    } catch {
      return null;
    }
  }
  if (info.ctimeNs / 1_000_000n >= BigInt(Date.now() - settledMs)) return null;
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
}

function kindOf(file: string): 'absent' | 'dir' | 'file' | 'other' {
  try {
    const info = lstatSync(file);
    return info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a path through a file (`refs/heads/a` a ref, asked for `refs/heads/a/b`): no ref there.
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'absent' : 'other';
  }
}
