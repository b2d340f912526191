// Reads a git command line the way git does: global options first (`-c k=v`, `-C dir`, `--git-dir=…`),
// then the subcommand and its arguments. Both the deny rules and the git allow list need this, and a
// rule that only looked at argv[1] would be fooled by `git -C . reset --hard`.

export interface GitInvocation {
  /** `-c key=value` and `--config-env key=ENV` settings, keys as written. */
  configs: { key: string; value: string }[];
  /** Other global options as written (`--no-pager`, `--git-dir=x`), with the value of `-C dir` style ones. */
  globals: { option: string; value?: string }[];
  subcommand: string | null;
  args: string[];
}

const GLOBALS_WITH_VALUE = new Set([
  '-C',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--super-prefix',
  '--list-cmds',
  '--attr-source',
  '--exec-path',
]);

/** `args` excludes the `git` word itself. */
export function parseGitArgs(args: readonly string[]): GitInvocation {
  const result: GitInvocation = { configs: [], globals: [], subcommand: null, args: [] };
  let i = 0;
  while (i < args.length) {
    const arg = args[i] as string;
    if (arg === '-c' || arg === '--config-env') {
      const setting = args[i + 1] ?? '';
      const eq = setting.indexOf('=');
      result.configs.push(
        eq < 0 ? { key: setting, value: 'true' } : { key: setting.slice(0, eq), value: setting.slice(eq + 1) },
      );
      i += 2;
    } else if (arg.startsWith('--config-env=')) {
      const setting = arg.slice('--config-env='.length);
      const eq = setting.indexOf('=');
      result.configs.push({ key: eq < 0 ? setting : setting.slice(0, eq), value: eq < 0 ? '' : setting.slice(eq + 1) });
      i++;
    } else if (GLOBALS_WITH_VALUE.has(arg)) {
      result.globals.push({ option: arg, value: args[i + 1] ?? '' });
      i += 2;
    } else if (arg.startsWith('-')) {
      result.globals.push({ option: arg });
      i++;
    } else {
      result.subcommand = arg;
      result.args = args.slice(i + 1);
      break;
    }
  }
  return result;
}

// Settings under which git runs another program (or loads settings that could): allowed to nobody,
// because `git -c core.pager='rm -rf ~' log` is `rm -rf ~`.
const COMMAND_RUNNING_KEYS: RegExp[] = [
  /^alias\./,
  /^core\.(fsmonitor|sshcommand|pager|editor|askpass|gitproxy)$/,
  /^(sequence\.editor|diff\.external|credential\.helper|gpg\.program|ssh\.variant|web\.browser|init\.templatedir)$/,
  /^diff\..+\.(textconv|command)$/,
  /^merge\..+\.driver$/,
  /^filter\..+\.(clean|smudge|process)$/,
  /^credential\..+\.helper$/,
  /^gpg\..+\.program$/,
  /^uploadpack\.packobjectshook$/,
  /^(pager|man|browser|difftool|mergetool)\..+/,
  /^remote\..+\.(uploadpack|receivepack|proxy)$/,
  /^protocol\.(.+\.)?allow$/,
  /^include\.path$/,
  /^includeif\..+\.path$/,
];

// Values that switch a program-running setting off or to a no-op (the engine's own git layer passes
// `-c core.pager=cat -c core.fsmonitor=false` on every call).
const HARMLESS_VALUES = new Set(['', 'cat', ':', 'true', 'false', '0', 'no', 'off']);

/** Why a `-c` setting is refused, or null. `core.hooksPath` is fine only when it disables hooks. */
export function dangerousGitConfig(key: string, value: string): string | null {
  const k = key.toLowerCase();
  if (k === 'core.hookspath') {
    return value === '/dev/null' || value === '' ? null : 'core.hooksPath pointing at a folder runs the scripts in it';
  }
  if (/^core\.(fsmonitor|pager|editor)$|^sequence\.editor$/.test(k) && HARMLESS_VALUES.has(value.trim().toLowerCase()))
    return null;
  // An empty driver switches the driver off: the engine's git sets `filter.<name>.clean=` for every
  // filter the repository defines, so that attributes a check wrote cannot run one.
  if (/^filter\..+\.(clean|smudge|process)$/.test(k) && value === '') return null;
  return COMMAND_RUNNING_KEYS.some((re) => re.test(k)) ? `git setting ${key} makes git run another program` : null;
}
