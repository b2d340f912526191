import { NocturnalError } from '../errors/nocturnal-error';

export interface ConfigProblem {
  /** Dotted field path, e.g. `scheduler.start_time`; empty for whole-file problems. */
  path: string;
  message: string;
  /** Where the bad value came from: `config.yaml:12`, or the environment variable's name. */
  source?: string;
}

/** A configuration that cannot be used. The message lists every problem, one per line. */
export class ConfigError extends NocturnalError {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super('validation', formatProblems(problems));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function formatProblems(problems: ConfigProblem[]): string {
  const lines = problems.map((p) => {
    const where = p.source ? `${p.source}: ` : '';
    const field = p.path ? `${p.path}: ` : '';
    return `  ${where}${field}${p.message}`;
  });
  return `invalid configuration:\n${lines.join('\n')}`;
}
