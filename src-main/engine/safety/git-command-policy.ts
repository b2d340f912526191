// The command policy as the git layer's veto: every git process the engine starts is judged by the
// same function as the checks (DESIGN §7) on its exact argv, so a refused git command never starts.
// runGit turns a refusal into a `GitRefusedError` (rule and reason kept) before simple-git is called.
import type { GitCommandPolicy } from '../git/run-git';
import { evaluateCommand } from './command-policy';

export function createGitCommandPolicy(extraDenied: readonly string[]): GitCommandPolicy {
  return (argv) => {
    const verdict = evaluateCommand(argv, { kind: 'git', extraDenied });
    return verdict.allowed ? null : { rule: verdict.rule, reason: verdict.reason };
  };
}
