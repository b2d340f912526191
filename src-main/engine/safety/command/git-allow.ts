// The git the engine itself runs: an allow list of subcommands, with the forms of a few that could
// otherwise move refs or files behind the engine's back narrowed down. The deny rules have already
// refused the destructive forms (reset --hard, clean, stash, forced pushes, command-running -c
// settings); this list refuses everything the engine has no reason to run at all.
import type { Denial } from './deny-rules';
import { parseGitArgs } from './git-args';
import { commandName } from './unwrap';

export const ALLOWED_GIT_SUBCOMMANDS: ReadonlySet<string> = new Set([
  'add',
  'apply',
  'blame',
  'branch',
  'cat-file',
  'check-attr',
  'check-ignore',
  'check-ref-format',
  'commit',
  'commit-tree',
  'config',
  'count-objects',
  'describe',
  'diff',
  'diff-files',
  'diff-index',
  'diff-tree',
  'for-each-ref',
  'grep',
  'hash-object',
  'log',
  'ls-files',
  'ls-tree',
  'merge',
  'merge-base',
  'merge-tree',
  'mktree',
  'name-rev',
  'read-tree',
  'rev-list',
  'rev-parse',
  'shortlog',
  'show',
  'show-ref',
  'status',
  'symbolic-ref',
  'update-index',
  'update-ref',
  'var',
  'version',
  'worktree',
  'write-tree',
]);

const ALLOWED_GLOBALS = new Set([
  '-C',
  '--git-dir',
  '--work-tree',
  '--no-pager',
  '-P',
  '--no-optional-locks',
  '--literal-pathspecs',
  '--no-replace-objects',
  '--bare',
  '--version',
]);

const WORKTREE_ACTIONS = new Set(['add', 'list', 'lock', 'unlock', 'move', 'prune', 'remove', 'repair']);
const CONFIG_READS = new Set(['--get', '--get-all', '--get-regexp', '--list', '-l', 'get', 'list']);

/** Null when `argv` is a git command the engine may run; otherwise why not. */
export function checkGitAllowed(argv: readonly string[]): Denial | null {
  const refuse = (why: string): Denial => ({
    rule: 'git-allow-list',
    reason: `${JSON.stringify(argv.join(' '))} ${why}`,
  });
  if (commandName(argv[0]) !== 'git') return refuse('is not a git command');
  const inv = parseGitArgs(argv.slice(1));
  const unknownGlobal = inv.globals.find((g) => !ALLOWED_GLOBALS.has(g.option.split('=')[0] as string));
  if (unknownGlobal !== undefined)
    return refuse(`uses the git option ${unknownGlobal.option}, which the engine never needs`);
  const sub = inv.subcommand;
  if (sub === null) return inv.globals.some((g) => g.option === '--version') ? null : refuse('has no git subcommand');
  if (!ALLOWED_GIT_SUBCOMMANDS.has(sub)) return refuse(`runs git ${sub}, which is not on the engine's git allow list`);
  const a = inv.args;
  switch (sub) {
    case 'merge':
      return a.includes('--ff-only') && !a.includes('--no-ff')
        ? null
        : refuse('merges without --ff-only; the engine only fast-forwards');
    case 'config':
      return a.some((x) => CONFIG_READS.has(x))
        ? null
        : refuse('would change git configuration; the engine only reads it (config --get)');
    case 'worktree':
      return WORKTREE_ACTIONS.has(a[0] ?? '')
        ? null
        : refuse(`uses git worktree ${a[0] ?? ''}, which the engine never needs`);
    case 'branch':
      return a.some((x) => ['-f', '--force', '-M', '-C'].includes(x))
        ? refuse('forces a branch onto another commit; refs move only through update-ref NEW OLD')
        : null;
    case 'read-tree':
      return a.includes('--reset') && a.some((x) => x === '-u' || x.startsWith('-u'))
        ? refuse('overwrites the working tree like reset --hard')
        : null;
    default:
      return null;
  }
}
