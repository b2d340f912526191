// The command policy as the git layer's veto: every git process the engine spawns is judged by the
// same function as the checks (DESIGN §7), so a refused git command never starts.
import type { GitCommandPolicy } from '../git/run-git';
import { NocturnalError } from '../errors/nocturnal-error';
import { evaluateCommand } from './command-policy';

export function createGitCommandPolicy(extraDenied: readonly string[]): GitCommandPolicy {
  return (argv) => {
    const verdict = evaluateCommand(argv, { kind: 'git', extraDenied });
    if (!verdict.allowed) {
      throw new NocturnalError('runtime', `refused by the command policy (${verdict.rule}): ${argv.join(' ')} — ${verdict.reason}`);
    }
  };
}
