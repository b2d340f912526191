// One file's lines in the map: its path, then one indented line per symbol with its signature (a class
// line lists its methods' signatures beneath it). A file without an outline is its path alone.
import type { CodeSymbol, FileOutline } from './parse-symbols';

// An entry depends only on the file and its outline, and an outline never changes (a changed file gets
// a new one from the cache): each is rendered once, not for every build of every attempt (issue 12).
const entries = new WeakMap<FileOutline, { file: string; entry: string }>();

export function renderFileEntry(file: string, outline: FileOutline | null): string {
  if (!outline || outline.symbols.length === 0) return file;
  const known = entries.get(outline);
  // An outline is cached per path and content, so it belongs to one file; the path is checked anyway.
  if (known?.file === file) return known.entry;
  const entry = renderSymbols(file, outline);
  entries.set(outline, { file, entry });
  return entry;
}

function renderSymbols(file: string, outline: FileOutline): string {
  const lines = [file];
  for (const symbol of outline.symbols) {
    lines.push(`  ${lineOf(symbol)}`);
    for (const member of symbol.members) lines.push(`    ${lineOf(member)}`);
  }
  return lines.join('\n');
}

function lineOf(symbol: CodeSymbol): string {
  return `${symbol.signature}  [L${symbol.startLine}${symbol.endLine > symbol.startLine ? `-${symbol.endLine}` : ''}]`;
}

export function renderMap(entries: readonly string[], total: number): string {
  return `${headingOf(entries.length, total)}\n${entries.join('\n')}`;
}

/** The length of `renderMap(entries, total)` from its entries' lengths, without joining 10k entries. */
export function renderedMapLength(entryLengths: number, count: number, total: number): number {
  return headingOf(count, total).length + 1 + entryLengths + Math.max(0, count - 1);
}

function headingOf(count: number, total: number): string {
  return count < total
    ? `# Repository map (the ${count} most relevant of ${total} files, with their symbols)`
    : `# Repository map (${total} files, with their symbols)`;
}
