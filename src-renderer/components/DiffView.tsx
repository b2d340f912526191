// One file of a change, drawn by react-diff-view with refractor's syntax highlighting, unified or split.
// The engine hands the diff already parsed (file → hunk → line); this only maps it to the library's
// shape.
import { useMemo } from 'react';
import { Diff, Hunk } from 'react-diff-view';
import type { DiffType, ViewType } from 'react-diff-view';
import 'react-diff-view/style/index.css';
import type { DiffFile } from '../../src-shared/domain/review';
import { highlight, languageOf, toHunkData } from './diff-tokens';

const diffTypes: Record<DiffFile['change'], DiffType> = {
  added: 'add',
  modified: 'modify',
  deleted: 'delete',
  renamed: 'rename',
};

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
