// The engine's parsed diff in react-diff-view's shape, and its syntax highlighting by refractor.
import { tokenize } from 'react-diff-view';
import type { ChangeData, HunkData, HunkTokens } from 'react-diff-view';
import { refractor } from 'refractor';
import type { DiffFile } from '../../src-shared/domain/review';

const languages: Record<string, string> = {
  ts: 'typescript',
  tsx: 'tsx',
  js: 'javascript',
  jsx: 'jsx',
  mjs: 'javascript',
  cjs: 'javascript',
  json: 'json',
  py: 'python',
  rs: 'rust',
  go: 'go',
  java: 'java',
  rb: 'ruby',
  c: 'c',
  h: 'c',
  cpp: 'cpp',
  cs: 'csharp',
  css: 'css',
  scss: 'scss',
  html: 'markup',
  md: 'markdown',
  yml: 'yaml',
  yaml: 'yaml',
  sh: 'bash',
  sql: 'sql',
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
      if (line.kind === 'add')
        return { type: 'insert', isInsert: true, content: line.text, lineNumber: line.newLine ?? 0 };
      if (line.kind === 'remove')
        return { type: 'delete', isDelete: true, content: line.text, lineNumber: line.oldLine ?? 0 };
      return {
        type: 'normal',
        isNormal: true,
        content: line.text,
        oldLineNumber: line.oldLine ?? 0,
        newLineNumber: line.newLine ?? 0,
      };
    }),
  }));
}

// react-diff-view 3 walks what `highlight` returns as a list of nodes (refractor 3's answer); refractor
// 4+ answers a hast root, so hand it the root's children.
const refractorAdapter = {
  highlight: (value: string, language: string) => refractor.highlight(value, language).children,
} as unknown as typeof refractor;

export function highlight(hunks: HunkData[], language: string | null): HunkTokens | null {
  if (!language) return null;
  try {
    return tokenize(hunks, { highlight: true, refractor: refractorAdapter, language });
  } catch {
    // A grammar that chokes on a fragment: show the diff plain rather than not at all.
    return null;
  }
}
