// What a CLI run reads and writes. Passing these in (rather than touching process.* directly) lets
// tests run the real CLI in-process and read exactly what a user would see.
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stdout is a terminal (progress bars, colour). */
  interactive: boolean;
  /** Whether stderr is a terminal (progress drawn on stderr); false when absent. */
  stderrIsTty?: boolean;
  /**
   * stdout without the secret masking every other line gets: only for a secret that is meant for the
   * user's eyes (the token in `serve`'s address line). Defaults to stdout.
   */
  unredactedStdout?: NodeJS.WritableStream;
  /** Where answers come from; questions are asked only when this is a terminal too. */
  stdin?: NodeJS.ReadableStream;
  stdinIsTty?: boolean;
}

export function writeLine(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(`${text}\n`);
}

export function writeJson(stream: NodeJS.WritableStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
