// The environment and `-c` settings every git process of the engine runs with (DESIGN §2 principle 1):
// hooks never run, no prompt can hang a night run, output is in a parseable locale, commits get a fixed
// identity even on machines without one, and configuration comes only from the repository itself.
export const AGENT_NAME = 'Nocturnal Agent';
export const AGENT_EMAIL = 'nocturnal-agent@localhost';

/**
 * Config overrides passed to every command. `core.hooksPath=/dev/null` is the portable way to disable
 * all hooks (there is no directory to find them in); fsmonitor is a configurable program too; signing
 * would prompt or fail on an unattended machine; pager and colour would corrupt parsed output; no
 * automatic maintenance runs behind the engine's back.
 */
export const SAFETY_CONFIG: readonly string[] = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.fsmonitor=false',
  // The global attributes file can select filter and diff drivers; only the repository's own count.
  '-c',
  'core.attributesFile=/dev/null',
  '-c',
  'commit.gpgSign=false',
  '-c',
  'tag.gpgSign=false',
  '-c',
  'core.pager=cat',
  '-c',
  'color.ui=false',
  // No background maintenance started by the engine's commits and merges: `git maintenance run --auto`
  // (gc --auto before git 2.29) is a process per commit that may outlive the attempt, repack the
  // user's objects in the middle of the night's work and race the engine's ref updates. The user's own
  // git keeps doing it.
  '-c',
  'maintenance.auto=false',
  '-c',
  'gc.auto=0',
];

// Variables git inherits from a parent git (we might run inside a hook, or a test under `git rebase -x`)
// would silently redirect us to another repository, index or config. Only these harmless ones survive.
const KEPT_GIT_VARIABLES = /^GIT_(EXEC_PATH|TRACE\w*)$/;
const USER_CONFIG_VARIABLES = /^GIT_CONFIG_(GLOBAL|SYSTEM|NOSYSTEM)$/;

/**
 * Configuration the engine controls: no system config, no global config, no system attributes. A
 * program git would run (filter, textconv, fsmonitor, hooks) can then come only from the repository's
 * own config, which checks cannot write (read-only in the sandbox, and verified after every check).
 */
export const CONTROLLED_CONFIG_ENV: Readonly<Record<string, string>> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_ATTR_NOSYSTEM: '1',
};

export function gitEnvironment(
  extra?: Readonly<Record<string, string>>,
  options: { userConfig?: boolean } = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const userConfig = options.userConfig === true;
  for (const [key, value] of Object.entries(process.env)) {
    // Where the user's own configuration applies, so do their choices of where it lives.
    const kept = KEPT_GIT_VARIABLES.test(key) || (userConfig && USER_CONFIG_VARIABLES.test(key));
    if (key.startsWith('GIT_') && !kept) continue;
    env[key] = value;
  }
  if (!userConfig) Object.assign(env, CONTROLLED_CONFIG_ENV);
  Object.assign(env, {
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    LC_ALL: 'C',
    LANGUAGE: 'C',
    // Read-only commands such as `status` must not rewrite the user's index behind their back.
    GIT_OPTIONAL_LOCKS: '0',
    GIT_EDITOR: ':',
    GIT_PAGER: 'cat',
    GIT_AUTHOR_NAME: AGENT_NAME,
    GIT_AUTHOR_EMAIL: AGENT_EMAIL,
    GIT_COMMITTER_NAME: AGENT_NAME,
    GIT_COMMITTER_EMAIL: AGENT_EMAIL,
  });
  if (extra) Object.assign(env, extra);
  return env;
}
