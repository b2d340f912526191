// Commands that run other commands. `env X=1 sudo nice -n 5 rm -rf ~` is `rm -rf ~` in three coats;
// the policy peels one coat at a time and judges every layer, so a wrapper can hide nothing. A shell
// given a script (`sh -c`, `bash -lc`, `eval`, `su -c`, a heredoc on a shell's stdin) yields the
// script, which the policy parses and judges like the top-level command.
import type { SimpleCommand } from './shell-parse';

export type Layer = { kind: 'argv'; argv: string[] } | { kind: 'script'; source: string };

export const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'fish', 'rbash']);

/** Basename of a command word, so `/usr/bin/rm` and `rm` are one command. */
export function commandName(word: string | undefined): string {
  if (word === undefined) return '';
  const slash = word.lastIndexOf('/');
  return slash >= 0 ? word.slice(slash + 1) : word;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

/** Drops leading `NAME=value` words. */
export function stripAssignments(argv: readonly string[]): string[] {
  let i = 0;
  while (i < argv.length && ASSIGNMENT.test(argv[i] as string)) i++;
  return argv.slice(i);
}

/**
 * The layers directly inside `argv`: what a wrapper runs, the script a shell runs, the commands
 * `find -exec` runs. Empty when the command runs nothing else that can be seen.
 */
export function innerLayers(argv: readonly string[], command?: SimpleCommand): Layer[] {
  const name = commandName(argv[0]);
  const args = argv.slice(1);
  if (SHELLS.has(name)) return shellLayers(args, command);
  switch (name) {
    case 'env':
      return envLayers(args);
    case 'sudo':
    case 'doas':
      return argvLayer(skipOptions(args, new Set(['-u', '-g', '-C', '-h', '-p', '-r', '-t', '-U', '-D', '-R', '-T'])));
    case 'su':
      return optionValue(args, ['-c', '--command']).map((source) => ({ kind: 'script' as const, source }));
    case 'eval':
      return args.length > 0 ? [{ kind: 'script', source: args.join(' ') }] : [];
    case 'exec':
    case 'command':
    case 'builtin':
    case 'nohup':
    case 'time':
    case 'setsid':
    case 'chronic':
    case 'unbuffer':
    case 'caffeinate':
      return argvLayer(skipOptions(args, new Set(['-a'])));
    case 'nice':
    case 'ionice':
    case 'stdbuf':
      return argvLayer(skipOptions(args, new Set(['-n', '-c', '-p', '-i', '-o', '-e'])));
    case 'taskset':
    case 'chrt':
      // `taskset [-c] MASK cmd`, `chrt [-f] PRIO cmd`: one operand before the command.
      return argvLayer(skipOptions(args, new Set()), 1);
    case 'timeout':
      return argvLayer(skipOptions(args, new Set(['-s', '-k', '--signal', '--kill-after'])), 1);
    case 'xargs':
      return argvLayer(skipOptions(args, new Set(['-I', '-n', '-P', '-L', '-d', '-E', '-s', '-a', '-i'])));
    case 'busybox':
      return argvLayer(args);
    case 'find':
      return findExecLayers(args);
    default:
      return [];
  }
}

function argvLayer(argv: string[], skipLeading = 0): Layer[] {
  const inner = stripAssignments(argv.slice(skipLeading));
  return inner.length > 0 ? [{ kind: 'argv', argv: inner }] : [];
}

/** Skips options up to the first operand; options in `withValue` consume the next word. */
function skipOptions(args: readonly string[], withValue: ReadonlySet<string>): string[] {
  let i = 0;
  while (i < args.length) {
    const arg = args[i] as string;
    if (arg === '--') return args.slice(i + 1);
    if (!arg.startsWith('-') || arg === '-') break;
    i += withValue.has(arg) ? 2 : 1;
  }
  return args.slice(i);
}

function optionValue(args: readonly string[], names: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (names.includes(arg) && i + 1 < args.length) values.push(args[i + 1] as string);
    for (const name of names)
      if (name.startsWith('--') && arg.startsWith(`${name}=`)) values.push(arg.slice(name.length + 1));
  }
  return values;
}

function envLayers(args: readonly string[]): Layer[] {
  const layers: Layer[] = [];
  let i = 0;
  while (i < args.length) {
    const arg = args[i] as string;
    if (arg === '--') {
      i++;
      break;
    }
    if (arg === '-S' || arg === '--split-string') {
      // `env -S "cmd args"` splits one string into a command line.
      layers.push({ kind: 'script', source: args.slice(i + 1).join(' ') });
      return layers;
    }
    if (arg.startsWith('--split-string=')) {
      layers.push({ kind: 'script', source: [arg.slice('--split-string='.length), ...args.slice(i + 1)].join(' ') });
      return layers;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    i += ['-u', '--unset', '-C', '--chdir', '-P'].includes(arg) ? 2 : 1;
  }
  const rest = args.slice(i).filter((a, index) => index > 0 || a !== '-');
  return [...layers, ...argvLayer(rest)];
}

/**
 * `sh -c SCRIPT`, `bash -lc SCRIPT`, `bash -e -c SCRIPT`, `sh -o pipefail -c …`; without -c a shell
 * runs a file (unseen) or its stdin, whose heredoc the parser kept.
 */
function shellLayers(args: readonly string[], command?: SimpleCommand): Layer[] {
  let takesScript = false;
  let i = 0;
  while (i < args.length) {
    const arg = args[i] as string;
    if (arg === '--' || arg === '-') {
      i++;
      break;
    }
    if (arg === '-o' || arg === '+o' || arg === '-O' || arg === '+O') {
      i += 2;
      continue;
    }
    if (/^[-+][A-Za-z]+$/.test(arg)) {
      if (arg.startsWith('-') && arg.includes('c')) takesScript = true;
      i++;
      continue;
    }
    if (arg.startsWith('--')) {
      i++;
      continue;
    }
    break;
  }
  const layers: Layer[] = [];
  if (takesScript && i < args.length) layers.push({ kind: 'script', source: args[i] as string });
  for (const body of command?.heredocs ?? []) layers.push({ kind: 'script', source: body });
  return layers;
}

/** `find … -exec rm -rf {} ;` runs `rm -rf {}`: every -exec/-execdir/-ok/-okdir command is a layer. */
function findExecLayers(args: readonly string[]): Layer[] {
  const layers: Layer[] = [];
  for (let i = 0; i < args.length; i++) {
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(args[i] as string)) continue;
    const start = i + 1;
    let end = start;
    while (end < args.length && args[end] !== ';' && args[end] !== '+') end++;
    layers.push(...argvLayer(args.slice(start, end)));
    i = end;
  }
  return layers;
}
