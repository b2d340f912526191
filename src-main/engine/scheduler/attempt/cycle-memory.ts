// What the improve loop remembers between cycles so each one sees the truth: the files earlier cycles
// touched (shown again, as they are now), searches that missed per file (two misses allow a whole-file
// rewrite), and one line per cycle saying what it changed and what came of it.
export class CycleMemory {
  private readonly touchedFiles = new Set<string>();
  private readonly misses = new Map<string, number>();
  private readonly lines: string[] = [];

  /** Files to show in the next cycle's context besides those the task or spec named. */
  get touched(): string[] {
    return [...new Set([...this.touchedFiles, ...this.misses.keys()])];
  }

  get history(): string[] {
    return [...this.lines];
  }

  get rewriteAllowed(): string[] {
    return [...this.misses].filter(([, count]) => count >= 2).map(([file]) => file);
  }

  committed(cycle: number, summary: string, files: string[], linesAdded: number, linesRemoved: number): void {
    for (const file of files) this.touchedFiles.add(file);
    this.lines.push(
      `cycle ${cycle}: "${oneLine(summary)}" changed ${files.join(', ')} (+${linesAdded} −${linesRemoved} lines)`,
    );
  }

  notApplied(cycle: number, summary: string, missed: string[], problem: string): void {
    for (const file of missed) this.misses.set(file, (this.misses.get(file) ?? 0) + 1);
    this.lines.push(
      `cycle ${cycle}: "${oneLine(summary)}" could not be applied (nothing was written): ${oneLine(problem).slice(0, 200)}`,
    );
  }

  /** What the checks or the score said about the last committed cycle. */
  outcome(result: string): void {
    const last = this.lines.length - 1;
    if (last >= 0) this.lines[last] = `${this.lines[last] ?? ''}; then ${result}`;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
