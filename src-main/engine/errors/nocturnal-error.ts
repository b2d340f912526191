// The engine's typed errors. `kind` decides the CLI exit status and how a failure is shown:
// `usage`/`validation`/`not_found` are the user's input (exit 2) — `not_found` is an id, name or
// session the user gave that does not exist —, everything else is a runtime failure (exit 1). Something
// missing that the user did not name (a commit the engine expected) is `runtime`, not `not_found`.
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
  return (
    error instanceof NocturnalError &&
    (error.kind === 'usage' || error.kind === 'validation' || error.kind === 'not_found')
  );
}
