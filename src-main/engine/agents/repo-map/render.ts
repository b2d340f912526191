// One file's lines in the map: its path, then one indented line per symbol with its signature (a class
// line lists its methods' signatures beneath it). A file without an outline is its path alone.
import type { CodeSymbol, FileOutline } from './parse-symbols';

export function renderFileEntry(file: string, outline: FileOutline | null): string {
  if (!outline || outline.symbols.length === 0) return file;
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
  const heading =
    entries.length < total
      ? `# Repository map (the ${entries.length} most relevant of ${total} files, with their symbols)`
      : `# Repository map (${total} files, with their symbols)`;
  return `${heading}\n${entries.join('\n')}`;
}
