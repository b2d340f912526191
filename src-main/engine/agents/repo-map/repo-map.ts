// The repo map of DESIGN §4 step 1: every tracked file ranked by relevance to the task, the most relevant
// with their symbols' signatures, fitted to the map's share of the token budget. Outlines come from the
// attempt's cache, so a cycle re-parses only what it changed.
import type { CachedOutline, CommitBlob, OutlineCache } from './outline-cache';
import type { CodeSymbol } from './parse-symbols';
import { grammarFor } from './languages';
import type { RankedFile } from './rank';
import { rankFiles } from './rank';
import { trackedSet } from './rank-index';
import type { MapEntry } from './fit-to-budget';
import { fitToBudget } from './fit-to-budget';
import { renderFileEntry, renderMap, renderedMapLength } from './render';
import { estimateTokens, estimateTokensOfLength } from '../estimate-tokens';

// Beyond this many source files the rest are ranked by path alone (a first map must stay quick).
const MAX_PARSED_FILES = 3000;
const MAX_DEFINITIONS_PER_NAME = 3;

export interface RepoMapRequest {
  worktree: string;
  tracked: readonly string[];
  namedFiles: readonly string[];
  failingFiles: readonly string[];
  taskText: string;
  cache: OutlineCache;
  /**
   * The start commit's entries, given only while the worktree is exactly that commit (an attempt's
   * first build): outlines are then found by blob id, without asking the file system.
   */
  blobs?: ReadonlyMap<string, CommitBlob>;
}

/** Every tracked file ranked, with the outlines its entries are rendered from: what the map is fitted from. */
export interface RepoAnalysis {
  ranked: RankedFile[];
  outlines: ReadonlyMap<string, CachedOutline>;
  /** The files ranked (every tracked file, once). */
  files: ReadonlySet<string>;
  /** What the whole map would cost, every file with its symbols. */
  fullTokens: number;
}

export interface RepoMap {
  text: string;
  /** Files the map shows (with or without symbols), by rank. */
  shown: string[];
  withSymbols: string[];
  estimatedTokens: number;
}

// What the map needs of a file list whatever the task, per list: a session ranks one list per start
// commit for every attempt (the same list object; see rank-index.ts).
interface ListFacts {
  /** The files whose outlines are asked for. */
  parsed: readonly string[];
  /** The characters of every file's path, each file once: the map's entries without their symbols. */
  pathLengths: number;
}
const listFacts = new WeakMap<readonly string[], ListFacts>();

function factsOf(tracked: readonly string[]): ListFacts {
  let facts = listFacts.get(tracked);
  if (facts === undefined) {
    let pathLengths = 0;
    for (const file of trackedSet(tracked)) pathLengths += file.length;
    facts = { parsed: tracked.filter((f) => grammarFor(f) !== null).slice(0, MAX_PARSED_FILES), pathLengths };
    listFacts.set(tracked, facts);
  }
  return facts;
}

export async function analyseRepo(request: RepoMapRequest): Promise<RepoAnalysis> {
  const facts = factsOf(request.tracked);
  return analysisOf(request, facts, await request.cache.getAll(request.worktree, facts.parsed, request.blobs));
}

/**
 * `analyseRepo` from the outline cache alone, when it knows every parsed file of the start commit by
 * blob id (null otherwise): it reads nothing from the worktree, so it can run while the worktree is
 * still being reset to that commit, and gives what `analyseRepo` gives once it is.
 */
export function analyseKnownRepo(
  request: Omit<RepoMapRequest, 'blobs'> & { blobs: ReadonlyMap<string, CommitBlob> },
): RepoAnalysis | null {
  const facts = factsOf(request.tracked);
  const outlines = request.cache.knownAll(facts.parsed, request.blobs);
  return outlines === null ? null : analysisOf(request, facts, outlines);
}

function analysisOf(request: RepoMapRequest, facts: ListFacts, outlines: Map<string, CachedOutline>): RepoAnalysis {
  const ranked = rankFiles({
    tracked: request.tracked,
    outlines,
    namedFiles: request.namedFiles,
    failingFiles: request.failingFiles,
    taskText: request.taskText,
  });
  // What the whole map would cost, measured rather than rendered (issue 12: it joined 10k entries per
  // build): every file is ranked once, so its entries are every path plus what outlines add to theirs.
  let entryLengths = facts.pathLengths;
  outlines.forEach((cached, file) => (entryLengths += renderFileEntry(file, cached.outline).length - file.length));
  const fullTokens = estimateTokensOfLength(renderedMapLength(entryLengths, ranked.length, ranked.length));
  return { ranked, outlines, files: trackedSet(request.tracked), fullTokens };
}

/** The ranked files' entries, rendered as far as the map is read (fitting stops at its budget). */
function* entriesOf(analysis: RepoAnalysis): Generator<MapEntry> {
  for (const { file } of analysis.ranked)
    yield { file, full: renderFileEntry(file, analysis.outlines.get(file)?.outline ?? null) };
}

/** The map fitted to `budgetTokens` by rank; empty text when not even one path fits. */
export function fitRepoMap(analysis: RepoAnalysis, budgetTokens: number): RepoMap {
  const total = analysis.ranked.length;
  const fitted = fitToBudget(entriesOf(analysis), budgetTokens, estimateTokens(renderMap([], total + 1)));
  const shown = analysis.ranked.slice(0, fitted.entries.length).map((r) => r.file);
  const text = fitted.entries.length === 0 ? '' : renderMap(fitted.entries, total);
  return { text, shown, withSymbols: fitted.withSymbols, estimatedTokens: estimateTokens(text) };
}

export interface SymbolRegion {
  file: string;
  symbol: string;
  startLine: number;
  endLine: number;
  text: string;
}

/**
 * Definitions of the symbols asked for (`pop`, `Queue.pop`, `src/queue.ts:pop`), each with its lines from
 * the file; a name found nowhere is returned in `unknown`.
 */
export function findSymbols(
  outlines: ReadonlyMap<string, CachedOutline>,
  names: readonly string[],
  maxLinesEach: number,
  /** Files in the order to search (the map's rank): a common name (`is_empty`) gives only the first few. */
  order: readonly string[] = [...outlines.keys()],
): { regions: SymbolRegion[]; unknown: string[] } {
  const regions: SymbolRegion[] = [];
  const unknown: string[] = [];
  for (const asked of names) {
    const [fileHint, qualified] = asked.includes(':')
      ? [asked.slice(0, asked.lastIndexOf(':')), asked.slice(asked.lastIndexOf(':') + 1)]
      : [null, asked];
    const parts = qualified.split('.');
    const name = parts.at(-1) ?? qualified;
    const owner = parts.length > 1 ? parts.at(-2) : undefined;
    let found = 0;
    for (const file of order) {
      const cached = outlines.get(file);
      if (fileHint !== null && file !== fileHint) continue;
      if (!cached?.outline || cached.source === null) continue;
      for (const symbol of matching(cached.outline.symbols, name, owner)) {
        if (found >= MAX_DEFINITIONS_PER_NAME) break;
        regions.push(regionOf(file, cached.source, symbol, maxLinesEach));
        found++;
      }
    }
    if (found === 0) unknown.push(asked);
  }
  return { regions, unknown };
}

function matching(symbols: readonly CodeSymbol[], name: string, owner: string | undefined): CodeSymbol[] {
  const found: CodeSymbol[] = [];
  for (const symbol of symbols) {
    if (owner === undefined && symbol.name === name) found.push(symbol);
    if (owner === undefined || symbol.name === owner) found.push(...symbol.members.filter((m) => m.name === name));
  }
  return found;
}

function regionOf(file: string, source: string, symbol: CodeSymbol, maxLines: number): SymbolRegion {
  const lines = source.split('\n');
  const endLine = Math.min(symbol.endLine, symbol.startLine + maxLines - 1);
  const body = lines.slice(symbol.startLine - 1, endLine).join('\n');
  const cut = endLine < symbol.endLine ? `\n[… ${symbol.endLine - endLine} more lines]` : '';
  return { file, symbol: symbol.name, startLine: symbol.startLine, endLine, text: body + cut };
}
