// A workspace's check commands are read by the shell parser and judged by the command policy when they
// are configured (`workspace add`), so a command the policy would refuse every night is refused at the
// door with the option that set it; `config validate` judges the registered ones again under the
// current `safety.blocked_commands`. The policy also judges every check before it runs, so a config
// changed by hand still applies.
import type { WorkspaceChecks } from '../../../src-shared/domain/workspace';
import { NocturnalError } from '../errors/nocturnal-error';
import { evaluateCommand } from '../safety/command-policy';

/** One line per check command the policy refuses, naming its option and the rule. */
export function checkCommandProblems(checks: WorkspaceChecks, blockedCommands: readonly string[]): string[] {
  const problems: string[] = [];
  for (const [name, command] of Object.entries(checks)) {
    if (command === undefined) continue;
    const verdict = evaluateCommand(command, { kind: 'check', extraDenied: blockedCommands });
    if (!verdict.allowed)
      problems.push(
        `--${name}: ${JSON.stringify(command)} is refused by the command policy (rule ${verdict.rule}): ${verdict.reason}`,
      );
  }
  return problems;
}

export function validateCheckCommands(checks: WorkspaceChecks, blockedCommands: readonly string[]): void {
  const [first] = checkCommandProblems(checks, blockedCommands);
  if (first !== undefined)
    throw new NocturnalError('usage', `${first}; checks run every night, so give a command the policy accepts`);
}
