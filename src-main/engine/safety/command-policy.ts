// The one policy every process the engine spawns passes (DESIGN §7 "Commands"). Two gates:
//   1. the deny list — built-in rules plus `safety.blocked_commands` — applied to every command the
//      string would run: each part of a list or pipeline, each command substitution, each layer of
//      wrappers (env, nice, timeout, xargs, find -exec …) and each script handed to a shell
//      (`sh -c`, `bash -lc`, eval, heredocs), recursively;
//   2. for git only, the allow list: the subcommands the engine uses, as one plain command.
// Checks have no allow list: they are the workspace's own configured commands (validated through this
// same policy when they are configured, see ../workspaces/check-command-validation), and a list built
// from the commands it is meant to check would allow every one of them. Nothing the model writes runs
// except through those checks, and the wall for checks is the OS sandbox, not this list.
// A command the parser cannot read is refused: what cannot be read cannot be judged.
import { DOWNLOADERS, INTERPRETERS, denyCommand, denyPipeline, denyRedirect, denyText } from './command/deny-rules';
import type { Denial } from './command/deny-rules';
import { compileExtraDenied } from './command/extra-denied';
import type { ExtraDeniedPattern } from './command/extra-denied';
import { checkGitAllowed } from './command/git-allow';
import { ShellParseError, parseShell } from './command/shell-parse';
import type { Script, SimpleCommand } from './command/shell-parse';
import { commandName, innerLayers, stripAssignments } from './command/unwrap';

export interface CommandContext {
  kind: 'git' | 'check';
  /** `safety.blocked_commands`. */
  extraDenied?: readonly string[];
}

export type CommandVerdict = { allowed: true } | { allowed: false; reason: string; rule: string };

// Verdicts on command strings, per kind and deny list. The verdict is a pure function of those three
// (static rules, no environment, no file system), and a check command is the same string on every
// attempt of a night: parsing it again (mvdan-sh, the largest share) cost ~3 ms per check run (issue
// 12). Bounded, least recently used first out; argv (git) is not kept: its commands differ every call.
const VERDICTS_KEPT = 256;
const stringVerdicts = new Map<string, CommandVerdict>();

export function evaluateCommand(command: string | readonly string[], context: CommandContext): CommandVerdict {
  if (typeof command !== 'string') return judgeCommand(command, context);
  const key = JSON.stringify([context.kind, context.extraDenied ?? [], command]);
  const kept = stringVerdicts.get(key);
  if (kept !== undefined) {
    stringVerdicts.delete(key);
    stringVerdicts.set(key, kept);
    return kept;
  }
  const verdict = Object.freeze(judgeCommand(command, context));
  stringVerdicts.set(key, verdict);
  if (stringVerdicts.size > VERDICTS_KEPT) stringVerdicts.delete(stringVerdicts.keys().next().value as string);
  return verdict;
}

function judgeCommand(command: string | readonly string[], context: CommandContext): CommandVerdict {
  const judge = new Judge(compileExtraDenied(context.extraDenied ?? []), context.kind === 'check');
  let single: SimpleCommand | null = null;
  try {
    if (typeof command === 'string') {
      if (command.trim() === '') return refused({ rule: 'empty', reason: 'the command is empty' });
      // The textual rules (fork bombs, SQL drops …) need no parse, and a fork bomb need not be valid
      // shell to be refused for what it is.
      const textual = judge.text(command);
      if (textual !== null) return refused(textual);
      const script = parseShell(command);
      const denial = judge.script(script, 0);
      if (denial !== null) return refused(denial);
      const only = script.pipelines.length === 1 ? script.pipelines[0]?.commands : undefined;
      single = only?.length === 1 ? (only[0] ?? null) : null;
    } else {
      if (command.length === 0 || command[0] === '') return refused({ rule: 'empty', reason: 'the command is empty' });
      single = { argv: [...command], redirects: [], substitutions: [], heredocs: [] };
      const denial = judge.command(single, 0) ?? (context.kind === 'check' ? judge.text(command.join(' ')) : null);
      if (denial !== null) return refused(denial);
    }
  } catch (error) {
    if (error instanceof ShellParseError)
      return refused({ rule: 'unparsable', reason: `the command cannot be checked: ${error.message}` });
    throw error;
  }
  const denial = context.kind === 'git' ? allowGit(single, command) : null;
  return denial === null ? { allowed: true } : refused(denial);
}

function refused(denial: Denial): CommandVerdict {
  return { allowed: false, reason: denial.reason, rule: denial.rule };
}

function allowGit(single: SimpleCommand | null, command: string | readonly string[]): Denial | null {
  const shown = typeof command === 'string' ? command : command.join(' ');
  const plain =
    single !== null &&
    single.redirects.length === 0 &&
    single.substitutions.length === 0 &&
    single.heredocs.length === 0;
  if (!plain || stripAssignments(single.argv).length !== single.argv.length) {
    return {
      rule: 'git-allow-list',
      reason: `${JSON.stringify(shown)} is not a single plain git command (no shell operators, redirections or variables)`,
    };
  }
  return checkGitAllowed(single.argv);
}

const MAX_LAYERS = 256;

class Judge {
  private layersSeen = 0;

  constructor(
    private readonly extra: readonly ExtraDeniedPattern[],
    private readonly judgeArgvText: boolean,
  ) {}

  text(source: string): Denial | null {
    const builtIn = denyText(source);
    if (builtIn !== null) return builtIn;
    const hit = this.extra.find((p) => p.matchesText(source));
    return hit ? blocked(hit, source) : null;
  }

  script(script: Script, depth: number): Denial | null {
    const textual = this.text(script.source);
    if (textual !== null) return textual;
    for (const pipeline of script.pipelines) {
      const piped = denyPipeline(pipeline.commands.map((c) => layerNames(c)));
      if (piped !== null) return piped;
      for (const command of pipeline.commands) {
        const denial = this.command(command, depth);
        if (denial !== null) return denial;
      }
    }
    return null;
  }

  command(command: SimpleCommand, depth: number): Denial | null {
    for (const redirect of command.redirects) {
      const denial = denyRedirect(redirect);
      if (denial !== null) return denial;
    }
    for (const sub of command.substitutions) {
      const denial = this.script(sub, depth + 1);
      if (denial !== null) return denial;
    }
    const queue: string[][] = [stripAssignments(command.argv)];
    while (queue.length > 0) {
      const argv = queue.shift() as string[];
      if (argv.length === 0) continue;
      if (++this.layersSeen > MAX_LAYERS)
        throw new ShellParseError('the command wraps too many commands to be checked');
      const denial = denyCommand(argv) ?? this.extraArgv(argv) ?? executesDownload(argv, command);
      if (denial !== null) return denial;
      for (const layer of innerLayers(argv, command)) {
        if (layer.kind === 'argv') queue.push(layer.argv);
        else {
          const inner = this.script(parseShell(layer.source, depth + 1), depth + 1);
          if (inner !== null) return inner;
        }
      }
    }
    return null;
  }

  private extraArgv(argv: readonly string[]): Denial | null {
    const hit = this.extra.find((p) => p.matchesArgv(argv) || (this.judgeArgvText && p.matchesText(argv.join(' '))));
    return hit ? blocked(hit, argv.join(' ')) : null;
  }
}

function blocked(pattern: ExtraDeniedPattern, shown: string): Denial {
  return {
    rule: 'blocked-commands',
    reason: `${JSON.stringify(shown)} matches ${JSON.stringify(pattern.raw)} in safety.blocked_commands`,
  };
}

/** Names of every argv layer of a command: `env X=1 sudo bash` → env, sudo, bash. */
function layerNames(command: SimpleCommand): string[] {
  const names: string[] = [];
  const queue: string[][] = [stripAssignments(command.argv)];
  while (queue.length > 0 && names.length < MAX_LAYERS) {
    const argv = queue.shift() as string[];
    if (argv.length === 0) continue;
    names.push(commandName(argv[0]));
    for (const layer of innerLayers(argv)) if (layer.kind === 'argv') queue.push(layer.argv);
  }
  return names;
}

/** `sh -c "$(curl …)"`, `bash <(wget -O- …)`, `eval "$(curl …)"`: an interpreter running a download. */
function executesDownload(argv: readonly string[], command: SimpleCommand): Denial | null {
  if (!INTERPRETERS.has(commandName(argv[0]))) return null;
  const downloads = (script: Script): boolean =>
    script.pipelines.some((p) =>
      p.commands.some((c) => layerNames(c).some((n) => DOWNLOADERS.has(n)) || c.substitutions.some(downloads)),
    );
  if (!command.substitutions.some(downloads)) return null;
  return { rule: 'download-exec', reason: `${JSON.stringify(argv.join(' '))} runs code downloaded from the network` };
}
