// What ends an attempt whose checks left the worktree's git wiring other than the engine made it, and
// what ends one whose repository vanished meanwhile. Both say what happened and that nothing of the
// attempt reached a commit; the attempt pipeline turns them into a failed attempt with that reason.
import { NocturnalError } from '../errors/nocturnal-error';

export class WorktreeTamperedError extends NocturnalError {
  readonly findings: readonly string[];

  constructor(findings: readonly string[]) {
    super(
      'runtime',
      `the checks tampered with the worktree's git metadata (${findings.join('; ')}): attempt failed, nothing committed`,
    );
    this.name = 'WorktreeTamperedError';
    this.findings = findings;
  }
}

export class RepositoryGoneError extends NocturnalError {
  constructor(readonly repoPath: string) {
    super('runtime', repositoryGoneReason(repoPath));
    this.name = 'RepositoryGoneError';
  }
}

export function repositoryGoneReason(repoPath: string): string {
  return `the workspace's repository ${repoPath} no longer exists (deleted or moved during the night): attempt failed, nothing committed`;
}
