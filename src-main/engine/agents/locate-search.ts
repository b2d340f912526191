// Finding the one region a `replace` edit means. Models copy code imperfectly (indentation, trailing
// spaces), so after an exact match fails, lines are compared with their surrounding whitespace trimmed.
// When nothing fits, the nearest real region is shown to the model instead of guessing.

export type SearchResult =
  | { kind: 'found'; start: number; end: number }
  | { kind: 'ambiguous'; count: number }
  | { kind: 'missing'; nearest: { firstLine: number; text: string } | null };

export function locateSearch(content: string, search: string): SearchResult {
  const exact = occurrences(content, search);
  if (exact.length === 1) {
    const start = exact[0] ?? 0;
    return { kind: 'found', start, end: start + search.length };
  }
  if (exact.length > 1) return { kind: 'ambiguous', count: exact.length };

  const lines = splitKeepingEnds(content);
  const wanted = search.split('\n').map((l) => l.trim());
  while (wanted.length > 0 && wanted[wanted.length - 1] === '') wanted.pop();
  while (wanted.length > 0 && wanted[0] === '') wanted.shift();
  if (wanted.length === 0) return { kind: 'missing', nearest: null };

  const matches: number[] = [];
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    let same = true;
    for (let j = 0; j < wanted.length && same; j++) same = (lines[i + j]?.text.trim() ?? '') === wanted[j];
    if (same) matches.push(i);
  }
  if (matches.length === 1) {
    const first = lines[matches[0] ?? 0];
    const last = lines[(matches[0] ?? 0) + wanted.length - 1];
    if (first && last) return { kind: 'found', start: first.offset, end: last.offset + last.text.length };
  }
  if (matches.length > 1) return { kind: 'ambiguous', count: matches.length };
  return { kind: 'missing', nearest: nearestRegion(lines, wanted) };
}

function occurrences(haystack: string, needle: string): number[] {
  if (needle === '') return [];
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}

interface Line {
  text: string;
  offset: number;
}

function splitKeepingEnds(content: string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  for (const text of content.split('\n')) {
    lines.push({ text, offset });
    offset += text.length + 1;
  }
  return lines;
}

/** The window of the same height with the most lines equal after trimming (ties: first). */
function nearestRegion(lines: Line[], wanted: string[]): { firstLine: number; text: string } | null {
  let best = { index: -1, score: 0 };
  for (let i = 0; i < lines.length; i++) {
    let score = 0;
    for (let j = 0; j < wanted.length && i + j < lines.length; j++) {
      const line = lines[i + j]?.text.trim() ?? '';
      if (line !== '' && line === wanted[j]) score += 1;
      else if (line !== '' && wanted[j] !== '' && (line.includes(wanted[j] ?? '') || (wanted[j] ?? '').includes(line)))
        score += 0.5;
    }
    if (score > best.score) best = { index: i, score };
  }
  if (best.index < 0) return null;
  const region = lines.slice(best.index, best.index + Math.max(wanted.length, 1));
  return { firstLine: best.index + 1, text: region.map((l) => l.text).join('\n') };
}
