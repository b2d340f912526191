// Whether a directory lives on a case-folding file system (macOS APFS/HFS+ by default, Windows NTFS,
// or a case-insensitive ext4 folder). On such a system `.GIT/config` *is* `.git/config` and a
// protected glob must match regardless of case. Detected by looking up an existing entry under a
// case-flipped name and comparing inodes, so nothing is written; only a folder with no entry that has
// letters (rare: a fresh empty worktree) costs a probe file, removed at once. The lookups are
// synchronous: once per applied change, cheaper than thread-pool round trips.
import { lstatSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

export async function isCaseInsensitiveDir(dir: string): Promise<boolean> {
  const entries = readdirSync(dir);
  const named = entries.find((name) => flipCase(name) !== name);
  if (named !== undefined) return sameEntry(join(dir, named), join(dir, flipCase(named)));
  const probe = await mkdtemp(join(dir, '.nocturnal-case-probe-'));
  try {
    const name = probe.slice(dir.length + 1);
    return sameEntry(probe, join(dir, flipCase(name)));
  } finally {
    await rm(probe, { recursive: true, force: true });
  }
}

function flipCase(name: string): string {
  let out = '';
  for (const ch of name) {
    const lower = ch.toLowerCase();
    out += ch === lower ? ch.toUpperCase() : lower;
  }
  return out;
}

function sameEntry(a: string, b: string): boolean {
  const sa = lstatSync(a);
  const sb = lstatSync(b, { throwIfNoEntry: false });
  return sb !== undefined && sa.ino === sb.ino && sa.dev === sb.dev;
}
