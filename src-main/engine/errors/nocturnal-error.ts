// The engine's typed errors. `kind` decides the CLI exit status and how a failure is shown:
// `usage`/`validation` are the user's input (exit 2), everything else is a runtime failure (exit 1).
export type NocturnalErrorKind = 'usage' | 'validation' | 'not_found' | 'conflict' | 'runtime';

export class NocturnalError extends Error {
  readonly kind: NocturnalErrorKind;

  constructor(kind: NocturnalErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NocturnalError';
    this.kind = kind;
  }
}

export function isUserInputError(error: unknown): boolean {
  return error instanceof NocturnalError && (error.kind === 'usage' || error.kind === 'validation');
}
