// A real three-way merge computed entirely in the object database (`merge-tree --write-tree`, git ≥
// 2.38): no index, no working tree, nothing checked out — which is what lets the engine merge into a
// branch nobody has checked out without touching any files, and detect real conflicts up front.
import { callOptions, runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertRevisionArgument } from './refs';

export type MergeTreeResult =
  | { kind: 'clean'; tree: string }
  /** `tree` holds the merge with conflict markers; useful for showing, never for committing. */
  | { kind: 'conflict'; tree: string; paths: string[]; messages: string[] };

export interface MergeTreeParams extends GitCallOptions {
  repoPath: string;
  ours: string;
  theirs: string;
}

export async function mergeTree(params: MergeTreeParams): Promise<MergeTreeResult> {
  assertRevisionArgument(params.ours, 'ours');
  assertRevisionArgument(params.theirs, 'theirs');
  const result = await runGit(
    params.repoPath,
    ['merge-tree', '--write-tree', '-z', '--name-only', '--messages', params.ours, params.theirs],
    { ...callOptions(params), okExitCodes: [0, 1] },
  );
  const parsed = parseMergeTreeOutput(result.stdout);
  if (result.exitCode === 0) return { kind: 'clean', tree: parsed.tree };
  return { kind: 'conflict', tree: parsed.tree, paths: parsed.paths, messages: parsed.messages };
}

/**
 * `-z --name-only --messages` output: `TREE\0`, then one `PATH\0` per conflicted path, an empty
 * record, then messages as `COUNT\0PATH\0…TYPE\0TEXT\0`. Paths named in CONFLICT messages are merged
 * into the list, since some conflict kinds name a path the stage list does not.
 */
export function parseMergeTreeOutput(output: string): { tree: string; paths: string[]; messages: string[] } {
  const tokens = output.split('\0');
  const tree = tokens[0] ?? '';
  const paths = new Set<string>();
  let i = 1;
  while (i < tokens.length && tokens[i] !== '') {
    paths.add(tokens[i] ?? '');
    i++;
  }
  i++;
  const messages: string[] = [];
  while (i < tokens.length) {
    const count = Number(tokens[i]);
    if (tokens[i] === '' || !Number.isInteger(count)) break;
    const messagePaths = tokens.slice(i + 1, i + 1 + count);
    const type = tokens[i + 1 + count] ?? '';
    const text = (tokens[i + 2 + count] ?? '').trim();
    if (type.startsWith('CONFLICT')) for (const p of messagePaths) paths.add(p);
    messages.push(text);
    i += count + 3;
  }
  return { tree, paths: [...paths].sort(), messages };
}
