// Splits `git diff` output (as getDiffText produces it: a/ b/ prefixes, no colour, renames found) into
// files and hunks with line numbers on both sides, for the review window. Pure: the text comes from git.
import type { DiffFile, DiffHunk, DiffLine } from '../../../src-shared/domain/review';

const hunkHeader = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parseUnifiedDiff(text: string): DiffFile[] {
  const files: DiffFile[] = [];
  let file: DiffFile | undefined;
  let hunk: DiffHunk | undefined;
  let oldLine = 0;
  let newLine = 0;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    if (line.startsWith('diff --git ')) {
      const paths = /^diff --git a\/(.*) b\/(.*)$/.exec(line);
      file = {
        path: paths?.[2] ?? '',
        oldPath: null,
        change: 'modified',
        binary: false,
        insertions: 0,
        deletions: 0,
        hunks: [],
      };
      files.push(file);
      hunk = undefined;
      continue;
    }
    if (!file) continue;
    const header = hunkHeader.exec(line);
    if (header) {
      oldLine = Number(header[1]);
      newLine = Number(header[3]);
      hunk = {
        header: line,
        oldStart: oldLine,
        oldLines: Number(header[2] ?? 1),
        newStart: newLine,
        newLines: Number(header[4] ?? 1),
        lines: [],
      };
      file.hunks.push(hunk);
      continue;
    }
    if (!hunk) {
      // The extended header between `diff --git` and the first hunk.
      if (line.startsWith('new file mode')) file.change = 'added';
      else if (line.startsWith('deleted file mode')) file.change = 'deleted';
      else if (line.startsWith('rename from ')) {
        file.change = 'renamed';
        file.oldPath = line.slice('rename from '.length);
      } else if (line.startsWith('rename to ')) file.path = line.slice('rename to '.length);
      else if (line.startsWith('Binary files ')) file.binary = true;
      else if (line.startsWith('--- a/') && file.change === 'deleted') file.path = line.slice('--- a/'.length);
      continue;
    }
    let entry: DiffLine;
    if (line.startsWith('+')) {
      entry = { kind: 'add', text: line.slice(1), oldLine: null, newLine: newLine++ };
      file.insertions++;
    } else if (line.startsWith('-')) {
      entry = { kind: 'remove', text: line.slice(1), oldLine: oldLine++, newLine: null };
      file.deletions++;
    } else if (line.startsWith(' ') || line === '') {
      entry = { kind: 'context', text: line.slice(1), oldLine: oldLine++, newLine: newLine++ };
    } else {
      // "\ No newline at end of file" and anything else git annotates: not a line of either file.
      continue;
    }
    hunk.lines.push(entry);
  }
  return files;
}
