// Questions on a terminal. Only `init` asks anything, and only when both ends are a terminal: piped
// or scripted runs take the defaults and never hang waiting for an answer nobody will type.
import { createInterface } from 'node:readline/promises';

export interface Prompter {
  /** Asks once; an empty answer takes `fallback`. */
  ask(question: string, fallback: string): Promise<string>;
  close(): void;
}

export function createTerminalPrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Prompter {
  const rl = createInterface({ input, output, terminal: true });
  let closed = false;
  rl.on('close', () => (closed = true));
  return {
    async ask(question, fallback) {
      if (closed) throw new Error('the terminal closed before every question was answered; nothing was written');
      const shown = fallback === '' ? `${question} ` : `${question} [${fallback}] `;
      const answer = (await rl.question(shown)).trim();
      return answer === '' ? fallback : answer;
    },
    close: () => rl.close(),
  };
}
