import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressBar } from './progress-bar';
import { paint, terminalStyle } from './terminal-style';

/** A stream that records what was written, as a terminal would receive it. */
function fakeTerminal(isTty: boolean): { stream: PassThrough & { isTTY?: boolean }; written: () => string } {
  const stream: PassThrough & { isTTY?: boolean } = new PassThrough();
  stream.isTTY = isTty;
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, written: () => chunks.join('') };
}

describe('terminalStyle', () => {
  it('colours a terminal unless NO_COLOR is set (to anything) or TERM is dumb; never a pipe', () => {
    expect(terminalStyle({}, true)).toEqual({ tty: true, color: true });
    expect(terminalStyle({ NO_COLOR: '1' }, true)).toEqual({ tty: true, color: false });
    expect(terminalStyle({ NO_COLOR: '' }, true)).toEqual({ tty: true, color: true });
    expect(terminalStyle({ TERM: 'dumb' }, true)).toEqual({ tty: true, color: false });
    expect(terminalStyle({}, false)).toEqual({ tty: false, color: false });
  });

  it('paints with ANSI codes only when colour is on', () => {
    expect(paint({ tty: true, color: true }, 'green', 'merged')).toBe('\x1b[32mmerged\x1b[39m');
    expect(paint({ tty: true, color: false }, 'green', 'merged')).toBe('merged');
  });
});

describe('createProgressBar', () => {
  it('redraws one line in place on a terminal, in colour, and ends it with a newline', () => {
    const terminal = fakeTerminal(true);
    const bar = createProgressBar(terminal.stream, terminalStyle({}, true), 'loading the model');
    bar.update(0.5, '2.0 GB / 4.0 GB');
    bar.update(0.5, '2.0 GB / 4.0 GB');
    bar.update(1);
    bar.end();
    const green = (n: number) => `\x1b[32m${'█'.repeat(n)}\x1b[39m`;
    const dim = (n: number) => `\x1b[2m${'░'.repeat(n)}\x1b[22m`;
    expect(terminal.written()).toBe(
      `\rloading the model ${green(15)}${dim(15)}  50%  2.0 GB / 4.0 GB\x1b[K` +
        `\rloading the model ${green(30)}${dim(0)} 100%\x1b[K` +
        '\n',
    );
  });

  it('draws the bar without colour codes under NO_COLOR', () => {
    const terminal = fakeTerminal(true);
    const bar = createProgressBar(terminal.stream, terminalStyle({ NO_COLOR: '1' }, true), 'downloading');
    bar.update(0.25);
    bar.end();
    expect(terminal.written()).toBe(`\rdownloading ${'█'.repeat(8)}${'░'.repeat(22)}  25%\x1b[K\n`);
    expect(terminal.written()).not.toContain('\x1b[3');
  });

  it('prints plain lines at every tenth when the stream is not a terminal: no \\r, no escape codes', () => {
    const pipe = fakeTerminal(false);
    const bar = createProgressBar(pipe.stream, terminalStyle({}, false), 'loading the model');
    for (let step = 0; step <= 100; step += 5) bar.update(step / 100);
    bar.end();
    expect(pipe.written()).toBe(
      [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((p) => `loading the model: ${p}%\n`).join(''),
    );
  });

  it('with no known total, says each new detail once', () => {
    const pipe = fakeTerminal(false);
    const bar = createProgressBar(pipe.stream, terminalStyle({}, false), 'coder.gguf');
    bar.update(null, '500 MB');
    bar.update(null, '500 MB');
    bar.update(null, '1.0 GB');
    expect(pipe.written()).toBe('coder.gguf: 500 MB\ncoder.gguf: 1.0 GB\n');
  });
});
