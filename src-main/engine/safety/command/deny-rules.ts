// The built-in deny list. Each rule looks at one already-unwrapped command (argv), one redirection,
// one pipeline or a script's raw text, and says in words a person can act on why it is refused.
// It is a tripwire, not the wall: checks also run in the OS sandbox, where most of these could do no
// harm anyway. What it buys is a clear, early refusal instead of a sandbox error in the middle of a
// night — and for git, which runs outside the sandbox, it is the guard.
import { dangerousGitConfig, parseGitArgs } from './git-args';
import { commandName } from './unwrap';
import type { Redirect } from './shell-parse';

export interface Denial {
  rule: string;
  reason: string;
}

export const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'lwp-request', 'GET']);
export const INTERPRETERS = new Set([
  'sh',
  'bash',
  'dash',
  'zsh',
  'ksh',
  'mksh',
  'ash',
  'fish',
  'rbash',
  'python',
  'python2',
  'python3',
  'perl',
  'ruby',
  'node',
  'php',
  'lua',
  'eval',
  'source',
  '.',
]);

type CommandRule = (name: string, args: readonly string[], shown: string) => Denial | null;

const deny = (rule: string, shown: string, why: string): Denial => ({
  rule,
  reason: `${JSON.stringify(shown)} ${why}`,
});

const privilege: CommandRule = (name, _args, shown) =>
  ['sudo', 'doas', 'su', 'pkexec', 'run0', 'runas'].includes(name)
    ? deny('privilege', shown, 'asks for elevated privileges; checks and git run as you, never as root')
    : null;

/** What a deletion target would take with it, or null when it is an ordinary path. */
export function dangerousTarget(target: string): string | null {
  let t = target;
  for (;;) {
    const stripped = t.replace(/\/(\*|\.\*|\.)?$/, '');
    if (stripped === t || stripped === '') break;
    t = stripped;
  }
  if (t === '' || t === '/' || /^\/+\*?$/.test(t)) return 'the whole file system';
  if (/^~[^/]*($|\/)/.test(t) || /^(\$HOME|\$\{HOME\}|\$USERPROFILE|\$\{USERPROFILE\})($|\/)/.test(t))
    return 'your home directory';
  if (['.', '*', '.*', '$PWD', '${PWD}', '$(pwd)', '`pwd`'].includes(t)) return 'the whole working directory';
  if (/^\.\.(\/\.\.)*$/.test(t)) return 'folders above the working directory';
  if (/^\/[^/]+$/.test(t)) return `the system folder ${t}`;
  return null;
}

/** Flags of a GNU/BSD style command: `-rf`, `-r -f`, `--recursive`. */
function flagsOf(args: readonly string[]): { short: Set<string>; long: Set<string>; operands: string[] } {
  const short = new Set<string>();
  const long = new Set<string>();
  const operands: string[] = [];
  let endOfOptions = false;
  for (const arg of args) {
    if (endOfOptions || !arg.startsWith('-') || arg === '-') operands.push(arg);
    else if (arg === '--') endOfOptions = true;
    else if (arg.startsWith('--')) long.add(arg.split('=')[0] as string);
    else for (const ch of arg.slice(1)) short.add(ch);
  }
  return { short, long, operands };
}

const rmDangerous: CommandRule = (name, args, shown) => {
  if (name !== 'rm' && name !== 'unlink' && name !== 'shred') return null;
  const { long, operands } = flagsOf(args);
  if (long.has('--no-preserve-root')) return deny('rm-root', shown, 'removes the protection against deleting /');
  for (const target of operands) {
    const what = dangerousTarget(target);
    if (what !== null) return deny('rm-dangerous-target', shown, `would delete ${what}`);
  }
  return null;
};

const chmodWorldWritable: CommandRule = (name, args, shown) => {
  if (name !== 'chmod' && name !== 'chown' && name !== 'chgrp') return null;
  const { short, long, operands } = flagsOf(args);
  const recursive = short.has('R') || long.has('--recursive');
  if (name === 'chmod' && recursive && operands.some((m) => /^(0?777|[ugoa]*\+rwx|[ugoa]*=rwx|a\+w|o\+w)$/.test(m))) {
    return deny('chmod-777', shown, 'makes a whole tree writable by everyone');
  }
  const target = operands.slice(1).find((t) => dangerousTarget(t) !== null);
  if (recursive && target !== undefined)
    return deny('chmod-dangerous-target', shown, `changes ownership or permissions of ${dangerousTarget(target)}`);
  return null;
};

const disk: CommandRule = (name, args, shown) => {
  if (
    /^mkfs(\..+)?$/.test(name) ||
    [
      'mke2fs',
      'mkswap',
      'mkdosfs',
      'mkntfs',
      'wipefs',
      'fdisk',
      'sfdisk',
      'cfdisk',
      'gdisk',
      'sgdisk',
      'parted',
      'blkdiscard',
    ].includes(name)
  ) {
    return deny('disk-format', shown, 'formats or repartitions a disk');
  }
  if (name === 'dd') {
    const of = args.find((a) => a.startsWith('of='));
    if (of !== undefined && isDeviceWrite(of.slice(3)))
      return deny('dd-device', shown, 'writes raw data onto a device');
  }
  return null;
};

export function isDeviceWrite(path: string): boolean {
  if (!path.startsWith('/dev/')) return false;
  return !/^\/dev\/(null|zero|full|stdout|stderr|tty|fd\/\d+|pts\/\d+|shm\/.*)$/.test(path);
}

const findDelete: CommandRule = (name, args, shown) => {
  if (name !== 'find') return null;
  if (args.includes('-delete')) return deny('find-delete', shown, 'deletes every file it finds');
  for (let i = 0; i < args.length - 1; i++) {
    if (
      ['-exec', '-execdir', '-ok', '-okdir'].includes(args[i] as string) &&
      ['rm', 'shred', 'unlink'].includes(commandName(args[i + 1]))
    ) {
      return deny('find-delete', shown, 'deletes every file it finds');
    }
  }
  return null;
};

const power: CommandRule = (name, args, shown) => {
  if (['shutdown', 'reboot', 'halt', 'poweroff', 'kexec'].includes(name))
    return deny('power', shown, 'shuts down or restarts the machine');
  if ((name === 'init' || name === 'telinit') && ['0', '6'].includes(args[0] ?? ''))
    return deny('power', shown, 'shuts down or restarts the machine');
  if (
    (name === 'systemctl' || name === 'loginctl') &&
    args.some((a) => ['poweroff', 'reboot', 'halt', 'suspend', 'hibernate', 'kexec'].includes(a))
  ) {
    return deny('power', shown, 'shuts down, suspends or restarts the machine');
  }
  // `kill -9 -1`, `kill -- -1`: pid -1 is every process the caller may signal.
  if (name === 'kill' && args.length >= 2 && args[args.length - 1] === '-1') {
    return deny('kill-all', shown, 'signals every process you own');
  }
  if (name === 'killall5') return deny('kill-all', shown, 'signals every process');
  return null;
};

const git: CommandRule = (name, args, shown) => {
  if (name !== 'git') return null;
  const inv = parseGitArgs(args);
  for (const { key, value } of inv.configs) {
    const why = dangerousGitConfig(key, value);
    if (why !== null) return deny('git-config-exec', shown, `is refused: ${why}`);
  }
  if (inv.globals.some((g) => g.option === '--exec-path' || g.option.startsWith('--exec-path='))) {
    return deny('git-config-exec', shown, 'is refused: --exec-path makes git run programs from another folder');
  }
  const sub = inv.subcommand;
  const a = inv.args;
  const { short, long, operands } = flagsOf(a);
  switch (sub) {
    case 'reset':
      return long.has('--hard') || long.has('--merge')
        ? deny('git-reset-hard', shown, 'throws away uncommitted work; the engine never resets a working tree')
        : null;
    case 'clean':
      return short.has('n') || long.has('--dry-run')
        ? null
        : deny('git-clean', shown, 'deletes untracked files; the engine never cleans a working tree');
    case 'push':
      if (
        short.has('f') ||
        long.has('--force') ||
        long.has('--force-with-lease') ||
        long.has('--force-if-includes') ||
        long.has('--mirror') ||
        operands.some((o) => o.startsWith('+'))
      ) {
        return deny('git-push-force', shown, 'force-pushes and can destroy published history');
      }
      if (short.has('d') || long.has('--delete') || long.has('--prune') || operands.some((o) => o.startsWith(':'))) {
        return deny('git-push-delete', shown, 'deletes branches on a remote');
      }
      return null;
    case 'checkout':
      if (
        short.has('f') ||
        long.has('--force') ||
        a.includes('--') ||
        operands.some((o) => o === '.' || o.startsWith(':/') || o === '*')
      ) {
        return deny('git-checkout-discard', shown, 'overwrites uncommitted changes in the working tree');
      }
      return null;
    case 'restore':
      return deny('git-checkout-discard', shown, 'overwrites uncommitted changes in the working tree');
    case 'switch':
      return short.has('f') || long.has('--force') || long.has('--discard-changes')
        ? deny('git-checkout-discard', shown, 'overwrites uncommitted changes in the working tree')
        : null;
    case 'stash':
      return deny('git-stash', shown, 'moves uncommitted work out of the working tree; the engine never stashes');
    case 'filter-branch':
    case 'filter-repo':
      return deny('git-rewrite-history', shown, 'rewrites the whole history of the repository');
    case 'reflog':
      return ['expire', 'delete'].includes(a[0] ?? '')
        ? deny('git-reflog-expire', shown, 'destroys the record used to recover lost commits')
        : null;
    default:
      return null;
  }
};

const COMMAND_RULES: CommandRule[] = [privilege, rmDangerous, chmodWorldWritable, disk, findDelete, power, git];

/** Judges one command (assignments already stripped). */
export function denyCommand(argv: readonly string[]): Denial | null {
  const name = commandName(argv[0]);
  const shown = argv.join(' ');
  for (const rule of COMMAND_RULES) {
    const denial = rule(name, argv.slice(1), shown);
    if (denial !== null) return denial;
  }
  return null;
}

export function denyRedirect(redirect: Redirect): Denial | null {
  if (redirect.op.includes('>') && isDeviceWrite(redirect.target)) {
    return deny('device-write', `${redirect.op} ${redirect.target}`, 'writes onto a device');
  }
  return null;
}

/** `curl … | sh`: a download fed into an interpreter. Stages are the command names of each stage. */
export function denyPipeline(stages: readonly (readonly string[])[]): Denial | null {
  const firstDownload = stages.findIndex((names) => names.some((n) => DOWNLOADERS.has(n)));
  if (firstDownload < 0) return null;
  const runner = stages.slice(firstDownload + 1).find((names) => names.some((n) => INTERPRETERS.has(n)));
  if (runner === undefined) return null;
  return {
    rule: 'download-exec',
    reason: `piping a download (${stages[firstDownload]?.join(' ')}) into ${runner.join(' ')} runs code from the network`,
  };
}

// Text rules see the raw script, quotes and all: a SQL statement hides inside a quoted argument, and a
// fork bomb is a function definition the word-level rules would not recognise.
const TEXT_RULES: { rule: string; test: RegExp; why: string }[] = [
  { rule: 'sql-drop', test: /\bdrop\s+(table|database|schema)\b/i, why: 'drops a database table, schema or database' },
  { rule: 'sql-drop', test: /\btruncate\s+table\b/i, why: 'empties a database table' },
];

export function denyText(source: string): Denial | null {
  for (const { rule, test, why } of TEXT_RULES) {
    const match = test.exec(source);
    if (match !== null) return deny(rule, match[0], why);
  }
  const compact = source.replace(/\s+/g, '');
  const bomb = /([A-Za-z_:.][\w:.-]*)\(\)\{\1\|\1&?\}?;?/.exec(compact);
  if (bomb !== null)
    return deny('fork-bomb', bomb[0], 'is a fork bomb: it starts processes until the machine stops responding');
  return null;
}
