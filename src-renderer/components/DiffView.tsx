// One file of a change, drawn by react-diff-view with refractor's syntax highlighting, unified or split.
// The engine hands the diff already parsed (file → hunk → line); this only maps it to the library's
// shape.
import { useMemo } from 'react';
import { Diff, Hunk, tokenize } from 'react-diff-view';
import type { ChangeData, DiffType, HunkData, HunkTokens, ViewType } from 'react-diff-view';
import { refractor } from 'refractor';
import 'react-diff-view/style/index.css';
import type { DiffFile } from '../../src-shared/domain/review';

const diffTypes: Record<DiffFile['change'], DiffType> = { added: 'add', modified: 'modify', deleted: 'delete', renamed: 'rename' };

const languages: Record<string, string> = {
  ts: 'typescript', tsx: 'tsx', js: 'javascript', jsx: 'jsx', mjs: 'javascript', cjs: 'javascript', json: 'json',
  py: 'python', rs: 'rust', go: 'go', java: 'java', rb: 'ruby', c: 'c', h: 'c', cpp: 'cpp', cs: 'csharp',
  css: 'css', scss: 'scss', html: 'markup', md: 'markdown', yml: 'yaml', yaml: 'yaml', sh: 'bash', sql: 'sql',
};

export function languageOf(path: string): string | null {
  const extension = path.split('.').pop()?.toLowerCase() ?? '';
  const language = languages[extension];
  return language && refractor.registered(language) ? language : null;
}

export function toHunkData(file: DiffFile): HunkData[] {
  return file.hunks.map((hunk) => ({
    content: hunk.header,
    oldStart: hunk.oldStart,
    newStart: hunk.newStart,
    oldLines: hunk.oldLines,
    newLines: hunk.newLines,
    changes: hunk.lines.map((line): ChangeData => {
      if (line.kind === 'add') return { type: 'insert', isInsert: true, content: line.text, lineNumber: line.newLine ?? 0 };
      if (line.kind === 'remove') return { type: 'delete', isDelete: true, content: line.text, lineNumber: line.oldLine ?? 0 };
      return { type: 'normal', isNormal: true, content: line.text, oldLineNumber: line.oldLine ?? 0, newLineNumber: line.newLine ?? 0 };
    }),
  }));
}

function highlight(hunks: HunkData[], language: string | null): HunkTokens | null {
  if (!language) return null;
  try {
    return tokenize(hunks, { highlight: true, refractor, language });
  } catch {
    // A grammar that chokes on a fragment: show the diff plain rather than not at all.
    return null;
  }
}

export function DiffView({ file, viewType }: { file: DiffFile; viewType: ViewType }) {
  const hunks = useMemo(() => toHunkData(file), [file]);
  const tokens = useMemo(() => highlight(hunks, languageOf(file.path)), [hunks, file.path]);
  if (file.binary) return <p className="muted">Binary file: no text diff to show.</p>;
  if (hunks.length === 0) return <p className="muted">No line changes (mode or name only).</p>;
  return (
    <div className="diff-scroll" role="region" aria-label={`Diff of ${file.path}`} tabIndex={0}>
      <Diff viewType={viewType} diffType={diffTypes[file.change]} hunks={hunks} tokens={tokens}>
        {(items) => items.map((hunk) => <Hunk key={hunk.content} hunk={hunk} />)}
      </Diff>
    </div>
  );
}
