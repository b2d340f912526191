// The environment a check sees: an allow list, not a deny list, because secrets hide under names no
// list anticipates (MY_COMPANY_DEPLOY_KEY). Only what a build needs to find programs and format text
// passes; HOME and TMPDIR point at the run's private folders; CI=1 makes test runners non-interactive
// (no watch mode, no prompts) and NO_COLOR keeps output readable for the model. Variables the caller
// adds explicitly are still refused when their name or value looks like a credential, or when they
// would inject code into every process (LD_PRELOAD, NODE_OPTIONS, BASH_ENV …).
import { redactText } from '../../log/redact';

const PASSED_THROUGH = new Set(['PATH', 'LANG', 'LANGUAGE', 'TERM', 'TZ']);
const SECRET_NAME =
  /(TOKEN|SECRET|PASSW(OR)?D|PASSPHRASE|CREDENTIAL|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|AUTH|COOKIE|SESSION)/i;
const SECRET_PREFIX =
  /^(AWS|AZURE|ARM|GCP|GCLOUD|GOOGLE|GITHUB|GH|GITLAB|OPENAI|ANTHROPIC|HF|HUGGING_?FACE|NPM|YARN|SSH|GPG|DOCKER|KUBE|VAULT|HEROKU|SLACK|STRIPE|SENTRY|CLOUDFLARE|DIGITALOCEAN)_/i;
const CODE_INJECTION =
  /^(LD_PRELOAD|LD_LIBRARY_PATH|LD_AUDIT|DYLD_.*|NODE_OPTIONS|NODE_PATH|BASH_ENV|ENV|PROMPT_COMMAND|PYTHONSTARTUP|PYTHONPATH|PERL5OPT|PERL5LIB|RUBYOPT|GIT_.*)$/;

export interface ScrubbedEnvOptions {
  /** HOME inside the check: a private, empty folder. */
  home: string;
  /** TMPDIR (and TMP, TEMP) inside the check. */
  tmpdir: string;
  /** Extra variables the engine sets on purpose; filtered all the same. */
  extra?: Readonly<Record<string, string | undefined>>;
}

export function scrubbedEnv(source: NodeJS.ProcessEnv, options: ScrubbedEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (PASSED_THROUGH.has(name) || name.startsWith('LC_')) env[name] = value;
  }
  env['PATH'] ??= '/usr/local/bin:/usr/bin:/bin';
  for (const [name, value] of Object.entries(options.extra ?? {})) {
    if (value !== undefined && isSafeToPass(name, value)) env[name] = value;
  }
  Object.assign(env, {
    HOME: options.home,
    TMPDIR: options.tmpdir,
    TMP: options.tmpdir,
    TEMP: options.tmpdir,
    CI: '1',
    NO_COLOR: '1',
    // Python keys its bytecode cache on the source's size and whole-second mtime: an edit of the same size
    // within the second of the baseline check (`a - b` → `a + b`) ran the stale .pyc. No cache, no stale code.
    PYTHONDONTWRITEBYTECODE: '1',
  });
  return env;
}

/** Whether an explicitly added variable may reach a check. */
export function isSafeToPass(name: string, value: string): boolean {
  if (SECRET_NAME.test(name) || SECRET_PREFIX.test(name) || CODE_INJECTION.test(name)) return false;
  return redactText(value) === value;
}
