// Counts lines added and removed between two texts — the measure behind `safety.max_changed_lines`,
// the same numbers `git diff --numstat` reports for ordinary edits. Myers' O((N+M)·D) algorithm with
// the common head and tail trimmed first, keeping only the frontier (linear memory). A cap on D stops
// early: a limit check only needs to know that a change is too big, not by how much.

/** Splits keeping each line's terminator, so "a" and "a\n" differ as they do for git. */
export function splitLines(text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

export type LineChangeCount =
  | { exact: true; added: number; removed: number }
  /** The edit distance exceeded the cap: `atLeast` is a lower bound on added + removed. */
  | { exact: false; atLeast: number };

export function countChangedLines(oldText: string, newText: string, cap = Number.POSITIVE_INFINITY): LineChangeCount {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const [xs, ys] = intern(a.slice(start, endA), b.slice(start, endB));
  const n = xs.length;
  const m = ys.length;
  if (n === 0 || m === 0) return { exact: true, added: m, removed: n };
  const maxD = Math.min(n + m, cap);
  if (Math.abs(n - m) > maxD) return { exact: false, atLeast: Math.abs(n - m) };

  const offset = maxD + 1;
  const frontier = new Int32Array(2 * maxD + 3);
  for (let d = 0; d <= maxD; d++) {
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (frontier[offset + k - 1] ?? 0) < (frontier[offset + k + 1] ?? 0));
      let x = down ? (frontier[offset + k + 1] ?? 0) : (frontier[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && xs[x] === ys[y]) {
        x++;
        y++;
      }
      frontier[offset + k] = x;
      if (x >= n && y >= m) return { exact: true, added: (m - n + d) / 2, removed: (n - m + d) / 2 };
    }
  }
  return { exact: false, atLeast: maxD + 1 };
}

function intern(a: string[], b: string[]): [Int32Array, Int32Array] {
  const ids = new Map<string, number>();
  const idOf = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  return [Int32Array.from(a, idOf), Int32Array.from(b, idOf)];
}
