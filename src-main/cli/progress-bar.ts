// Progress of long work (model load, download): on a terminal one line redrawn in place with a bar;
// elsewhere (a pipe, a log file) a plain line at every tenth, which reads well in logs and CI output.
// Whatever prints next calls end() first, so it starts on a fresh line.
import { paint } from './terminal-style';
import type { TerminalStyle } from './terminal-style';

export interface ProgressBar {
  /** fraction in [0, 1], or null when the total is unknown; detail follows the bar (sizes, speed). */
  update(fraction: number | null, detail?: string): void;
  /** Ends a bar left on the line (newline); nothing when none is shown. */
  end(): void;
}

const WIDTH = 30;

export function createProgressBar(stream: NodeJS.WritableStream, style: TerminalStyle, label: string): ProgressBar {
  let shown: string | null = null;
  let nextTenth = 0;
  return {
    update(fraction, detail = '') {
      const clamped = fraction === null ? null : Math.min(1, Math.max(0, fraction));
      const percent = clamped === null ? null : Math.floor(clamped * 100);
      if (!style.tty) {
        // Plain lines: at 0 %, 10 %, …, 100 %; with no total, only when the detail says something new.
        if (percent === null) {
          if (detail !== '' && detail !== shown) stream.write(`${label}: ${detail}\n`);
          shown = detail;
          return;
        }
        if (percent < nextTenth) return;
        nextTenth = Math.floor(percent / 10) * 10 + 10;
        stream.write(`${label}: ${percent}%${detail ? ` (${detail})` : ''}\n`);
        return;
      }
      const filled = clamped === null ? 0 : Math.round(clamped * WIDTH);
      const bar =
        clamped === null
          ? ''
          : ` ${paint(style, 'green', '█'.repeat(filled))}${paint(style, 'dim', '░'.repeat(WIDTH - filled))} ${String(percent).padStart(3)}%`;
      const text = `${label}${bar}${detail ? `  ${detail}` : ''}`;
      if (text === shown) return;
      shown = text;
      // \r to the line's start, the new text, then erase whatever a longer previous text left.
      stream.write(`\r${text}\x1b[K`);
    },
    end() {
      if (style.tty && shown !== null) stream.write('\n');
      shown = null;
    },
  };
}
