// JSONL log files under <home>/logs, one per day (nocturnal-YYYY-MM-DD.jsonl). The tray app runs for
// weeks, so the file switches when the date changes rather than only at start-up; files older than
// logging.retention_days are deleted when the stream opens and at each switch.
import fs from 'node:fs';
import path from 'node:path';

const filePattern = /^nocturnal-(\d{4}-\d{2}-\d{2})\.jsonl$/;

export class DailyFileStream {
  private currentDate = '';
  private fd: number | undefined;

  constructor(
    private readonly dir: string,
    private readonly retentionDays: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  write(chunk: string): boolean {
    const date = localDate(this.now());
    if (date !== this.currentDate || this.fd === undefined) this.switchTo(date);
    if (this.fd !== undefined) fs.writeSync(this.fd, chunk);
    return true;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /** Deletes log files older than the retention period; returns the names removed. */
  prune(): string[] {
    const cutoff = new Date(this.now());
    cutoff.setDate(cutoff.getDate() - this.retentionDays);
    const cutoffDate = localDate(cutoff);
    const removed: string[] = [];
    for (const name of fs.readdirSync(this.dir)) {
      const match = filePattern.exec(name);
      if (match?.[1] !== undefined && match[1] < cutoffDate) {
        fs.rmSync(path.join(this.dir, name), { force: true });
        removed.push(name);
      }
    }
    return removed;
  }

  private switchTo(date: string): void {
    this.close();
    this.currentDate = date;
    this.fd = fs.openSync(path.join(this.dir, `nocturnal-${date}.jsonl`), 'a', 0o600);
    this.prune();
  }
}

function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
