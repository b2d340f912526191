// A workspace's check commands are read by the shell parser and judged by the command policy once,
// when they are configured (`workspace add`), so a command the policy would refuse every night is
// refused at the door with the option that set it. The policy judges every check again before it
// runs, so a later change to `safety.blocked_commands` still applies.
import type { WorkspaceChecks } from '../../../src-shared/domain/workspace';
import { NocturnalError } from '../errors/nocturnal-error';
import { evaluateCommand } from '../safety/command-policy';

export function validateCheckCommands(checks: WorkspaceChecks, blockedCommands: readonly string[]): void {
  for (const [name, command] of Object.entries(checks)) {
    if (command === undefined) continue;
    const verdict = evaluateCommand(command, { kind: 'check', extraDenied: blockedCommands });
    if (!verdict.allowed) {
      throw new NocturnalError(
        'usage',
        `--${name}: ${JSON.stringify(command)} is refused by the command policy (rule ${verdict.rule}): ${verdict.reason}; checks run every night, so give a command the policy accepts`,
      );
    }
  }
}
