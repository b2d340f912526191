// Why a check failed on the untouched base commit, as far as its exit code and output tell. A failure of
// the code (a test, a type, a lint rule) is what the task is for and goes to the model; a failure of the
// environment (the command is not installed, a dependency is missing, a permission is refused) cannot
// be fixed by any edit, so the attempt ends at once with a reason that names the fix for the person.
// (A check that times out on the base is the baseline stage's own case.)
import type { CheckOutcome } from '../../../src-shared/domain/attempt';

export type FailureClass =
  | { kind: 'code' }
  /** `subject`: the command not found, or the package that is missing, or the command refused. */
  | {
      kind: 'environment';
      cause: 'command-not-found' | 'missing-dependency' | 'permission';
      subject: string;
      reason: string;
    };

// `sh: 1: mocha: not found`, `bash: line 1: mocha: command not found`, `/bin/sh: mocha: not found`.
const NOT_FOUND = /(?:^|\n)(?:[^\n:]*: )?(?:line \d+: |\d+: )?([\w.+@/-]+): (?:command )?not found/;
const PACKAGE_MISSING: RegExp[] = [
  /Cannot find (?:module|package) '((?:@[\w.-]+\/)?\w[\w.-]*)(?:\/[^']*)?'/,
  /ModuleNotFoundError: No module named '([\w.]+)'/,
  /cannot find package "([^"]+)"/,
  /LoadError: cannot load such file -- ([\w/-]+)/,
];
// Only the shell refusing to start the command: a test that prints "Permission denied" is a test result.
const PERMISSION = /(?:^|\n)(?:\/bin\/)?(?:sh|bash|dash|zsh)(?:: line \d+|: \d+)?: [^\n]*: Permission denied/;

export function classifyBaseFailure(check: CheckOutcome): FailureClass {
  if (check.passed || check.timedOut) return { kind: 'code' };
  const label = `the ${check.name} check (${check.command})`;
  const output = check.output;
  const notFound = NOT_FOUND.exec(output);
  if (check.exitCode === 127 || notFound) {
    const tool = notFound?.[1] ?? check.command.split(/\s+/)[0] ?? check.command;
    return {
      kind: 'environment',
      cause: 'command-not-found',
      subject: tool,
      reason: `${label} cannot run: ${tool}: command not found (exit ${check.exitCode ?? 'none'}); install ${tool} for the workspace (e.g. its dependencies with \`npm install\`) or change the workspace's ${check.name} command`,
    };
  }
  for (const pattern of PACKAGE_MISSING) {
    const missing = pattern.exec(output)?.[1];
    // A relative module ('./sub') may be the code the task asks for; a package is the environment's.
    if (missing && !missing.startsWith('.')) {
      return {
        kind: 'environment',
        cause: 'missing-dependency',
        subject: missing,
        reason: `${label} cannot run: the dependency ${missing} is not installed; install the workspace's dependencies (e.g. \`npm install\` or \`pip install -r requirements.txt\`) and run again`,
      };
    }
  }
  if (check.exitCode === 126 || PERMISSION.test(output)) {
    return {
      kind: 'environment',
      cause: 'permission',
      subject: check.command,
      reason: `${label} cannot run: permission denied (exit ${check.exitCode ?? 'none'}); make the command executable (chmod +x) or run it through its interpreter (e.g. \`sh ${check.command}\`)`,
    };
  }
  return { kind: 'code' };
}
