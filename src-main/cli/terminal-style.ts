// Colour and redrawn progress only where a person watches a terminal: off when the stream is not a
// TTY (a pipe, a file, CI logs) and off with NO_COLOR set to anything (https://no-color.org), or on a
// terminal that says it cannot (TERM=dumb). Progress bars follow the TTY alone: NO_COLOR is about
// colour, and a bar redrawn in place is still the better display on a colourless terminal.
export interface TerminalStyle {
  /** The stream is a terminal: progress may be redrawn in place. */
  readonly tty: boolean;
  /** ANSI colours may be used. */
  readonly color: boolean;
}

export function terminalStyle(env: NodeJS.ProcessEnv, isTty: boolean): TerminalStyle {
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  return { tty: isTty, color: isTty && !noColor && env['TERM'] !== 'dumb' };
}

const codes = { red: [31, 39], green: [32, 39], yellow: [33, 39], dim: [2, 22], bold: [1, 22] } as const;
export type Paint = keyof typeof codes;

export function paint(style: TerminalStyle, colour: Paint, text: string): string {
  if (!style.color) return text;
  const [open, close] = codes[colour];
  return `\x1b[${open}m${text}\x1b[${close}m`;
}
