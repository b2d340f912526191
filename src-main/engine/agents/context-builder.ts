// The repository context for an edit call, fitted to a token budget. Priority, highest first: workspace
// notes, the files the task names, then their tests (what pins down the code the model will change), then
// what the explore call asked to read, then the repo map (its own share of the budget), then the files
// the map ranks highest. Without a repo map (`repoMap` absent: the earlier behaviour, kept for
// bench/context.ts) files whose path mentions words of the task and a plain file list stand in for it.
// Lower-priority parts are dropped whole (and the prompt says so) rather than cut mid-file; the token
// count is an estimate here, and the provider's own guard counts exactly before the call.
import fs from 'node:fs/promises';
import path from 'node:path';
import { runGit } from '../git/run-git';
import type { RunGitOptions } from '../git/run-git';
import { estimateTokens } from './estimate-tokens';
import { relatedTests } from './related-tests';
import type { CommitBlob, OutlineCache } from './repo-map/outline-cache';
import { filesMentioned } from './repo-map/rank';
import type { RepoAnalysis, RepoMap, SymbolRegion } from './repo-map/repo-map';
import { analyseRepo, fitRepoMap } from './repo-map/repo-map';

export { estimateTokens } from './estimate-tokens';

export interface ContextRequest {
  /** For an attempt worktree: pinned to its recorded git dir (git/engine-worktree). */
  git: RunGitOptions;
  /** The tracked files when the caller listed them already, with nothing staged since. */
  tracked?: readonly string[];
  /**
   * The worktree is exactly its start commit (an attempt's first build): the repo map takes outlines
   * by blob id. Either the commit's entries, listed earlier with `tracked`, or `list` to have this
   * build list the index with `--stage` (the index is that commit then) and use what it lists.
   */
  startCommit?: { blobs: ReadonlyMap<string, CommitBlob> } | 'list';
  /**
   * The repo analysis of an earlier build of the same worktree state, task files and failure output
   * (the explore call's, reused by the first edit): ranking does not depend on what was explored.
   */
  analysis?: RepoAnalysis;
  worktree: string;
  taskFiles: string[];
  taskText: string;
  /** Budget in tokens for the whole context block. */
  budgetTokens: number;
  notes?: string | null;
  /** Build the tree-sitter repo map with the attempt's outline cache; absent: the plain file list. */
  repoMap?: { cache: OutlineCache; failureOutput?: string };
  /** What the explore call asked to read (files already through the path guard, symbol definitions). */
  explored?: { files: string[]; regions: SymbolRegion[] };
}

export interface BuiltContext {
  text: string;
  includedFiles: string[];
  omitted: string[];
  estimatedTokens: number;
  /** The ranked outlines, when a map was asked for (the explore call resolves symbols with them). */
  analysis: RepoAnalysis | null;
  /** The map as it went into the text. */
  map: RepoMap | null;
  /** The tracked files it was built from. */
  tracked: readonly string[];
  /** Their index entries, when this build listed them with `startCommit: 'list'`. */
  blobs: ReadonlyMap<string, CommitBlob> | null;
}

const MAX_FILE_BYTES = 64 * 1024;
/** The map's own share of the budget: files after the named ones and their tests leave it this much. */
const MAP_SHARE = 0.3;
const MAP_SHARE_AFTER_EXPLORE = 0.15;
const MAX_RELATED_FILES = 8;

export async function buildContext(request: ContextRequest): Promise<BuiltContext> {
  const listed =
    request.tracked !== undefined
      ? null
      : request.startCommit === 'list'
        ? await listStaged(request.worktree, request.git)
        : {
            tracked: (await runGit(request.worktree, ['ls-files', '-z'], request.git)).stdout
              .split('\0')
              .filter((f) => f !== ''),
            blobs: null,
          };
  const tracked = request.tracked ?? listed?.tracked ?? [];
  const blobs =
    request.startCommit === undefined
      ? undefined
      : request.startCommit === 'list'
        ? (listed?.blobs ?? undefined)
        : request.startCommit.blobs;
  const finish = (
    sections: string[],
    includedFiles: string[],
    omitted: string[],
    analysis: RepoAnalysis | null,
    map: RepoMap | null,
  ): BuiltContext => finishContext(sections, includedFiles, omitted, analysis, map, tracked, listed?.blobs ?? null);
  const omitted: string[] = [];
  const sections: string[] = [];
  let used = 0;
  const fits = (text: string, reserve = 0) => used + estimateTokens(text) + reserve <= request.budgetTokens;
  const add = (text: string) => {
    sections.push(text);
    used += estimateTokens(text);
  };

  if (request.notes) {
    const notes = `# Workspace notes\n${request.notes}`;
    if (fits(notes)) add(notes);
    else omitted.push('workspace notes');
  }

  const includedFiles: string[] = [];
  const addFile = (file: string, content: string | null, reserve: number) => {
    const block =
      content === null ? `## ${file}\n(new file: it does not exist yet)` : `## ${file}\n\`\`\`\n${content}\n\`\`\``;
    if (fits(block, reserve)) {
      add(block);
      if (content !== null) includedFiles.push(file);
    } else {
      omitted.push(file);
    }
  };
  // Files are read side by side, as soon as the build knows it will read them (the named ones while
  // the repository is analysed, the explored and the ranked ones together), and each part adds its
  // own in order: what fits depends only on that order (issue 12: up to 8 ranked files were read one
  // after another, each an lstat and a readFile's four steps). Every file read is one the build reads.
  const reads = new Map<string, Promise<string | null>>();
  const read = (files: readonly string[]) =>
    files.map((file) => {
      let content = reads.get(file);
      if (content === undefined) {
        content = readSmallText(path.join(request.worktree, file));
        reads.set(file, content);
      }
      return content;
    });
  const addFiles = async (files: readonly string[], reserve: number) => {
    const contents = await Promise.all(read(files));
    files.forEach((file, i) => addFile(file, contents[i] ?? null, reserve));
  };

  // The named files' own tests come right after them, ahead of the map: they keep their share.
  const tests = [...new Set(request.taskFiles.flatMap((f) => relatedTests(f, tracked)))].filter(
    (f) => !request.taskFiles.includes(f),
  );
  const named = [...request.taskFiles, ...tests];
  const shown = new Set(named);

  if (!request.repoMap) {
    const words = new Set(
      request.taskText
        .toLowerCase()
        .split(/[^a-z0-9_]+/)
        .filter((w) => w.length >= 4),
    );
    const related = tracked.filter((f) => !shown.has(f) && [...words].some((w) => f.toLowerCase().includes(w)));
    read(related.slice(0, MAX_RELATED_FILES));
    await addFiles(named, 0);
    await addFiles(related.slice(0, MAX_RELATED_FILES), 0);
    addFileList(tracked, fits, add, omitted);
    return finish(sections, includedFiles, omitted, null, null);
  }

  read(named);
  const analysis =
    request.analysis ??
    (await analyseRepo({
      worktree: request.worktree,
      tracked,
      namedFiles: request.taskFiles,
      failingFiles: request.repoMap.failureOutput
        ? filesMentioned(request.repoMap.failureOutput, tracked, request.worktree)
        : [],
      taskText: request.taskText,
      cache: request.repoMap.cache,
      ...(blobs ? { blobs } : {}),
    }));
  await addFiles(named, 0);
  // Once the explore call has chosen from the map, the edit call needs less of it and more of the files.
  const mapShare = Math.floor(request.budgetTokens * (request.explored ? MAP_SHARE_AFTER_EXPLORE : MAP_SHARE));
  const mapReserve = Math.min(analysis.fullTokens, mapShare);
  const explored = request.explored ?? { files: [], regions: [] };
  // The files the model asked for, most relevant first by the map's rank, each followed by its tests.
  const rankOf = ranksOf(analysis, explored.files);
  const byRank = [...explored.files].sort((a, b) => (rankOf.get(a) ?? Infinity) - (rankOf.get(b) ?? Infinity));
  const asked = byRank.flatMap((f) => [f, ...relatedTests(f, tracked)]).filter((f) => !shown.has(f));
  for (const file of asked) shown.add(file);
  const best = bestRanked(analysis, shown);
  read([...asked, ...best]);
  await addFiles(asked, mapReserve);
  const regions = explored.regions.filter((r) => !includedFiles.includes(r.file));
  if (regions.length > 0) {
    const block = `# Definitions you asked for\n${regions.map((r) => `## ${r.file} lines ${r.startLine}-${r.endLine} (${r.symbol})\n\`\`\`\n${r.text}\n\`\`\``).join('\n')}`;
    if (fits(block, mapReserve)) add(block);
    else omitted.push(`definitions of ${regions.map((r) => r.symbol).join(', ')}`);
  }

  // The map takes its share (or what is left, if less); the files it ranks highest get the rest.
  const map = fitRepoMap(analysis, Math.min(request.budgetTokens - used, mapShare));
  if (map.text !== '') add(map.text);
  else omitted.push('repository map');
  await addFiles(best, 0);
  return finish(sections, includedFiles, omitted, analysis, map);
}

/** Where each of `files` is in the ranking (the last place, for a file ranked twice); only theirs are looked up. */
function ranksOf(analysis: RepoAnalysis, files: readonly string[]): Map<string, number> {
  const rankOf = new Map<string, number>();
  if (files.length === 0) return rankOf;
  const wanted = new Set(files);
  analysis.ranked.forEach((r, i) => {
    if (wanted.has(r.file)) rankOf.set(r.file, i);
  });
  return rankOf;
}

/** The best-ranked files with any evidence that are not shown yet: the scan stops at the last one needed. */
function bestRanked(analysis: RepoAnalysis, shown: ReadonlySet<string>): string[] {
  const files: string[] = [];
  for (const r of analysis.ranked) {
    if (files.length === MAX_RELATED_FILES) break;
    if (r.score > 0 && !shown.has(r.file)) files.push(r.file);
  }
  return files;
}

/** `ls-files --stage`: each tracked path with its mode and blob id (stage 0: nothing is unmerged here). */
async function listStaged(
  worktree: string,
  git: RunGitOptions,
): Promise<{ tracked: string[]; blobs: Map<string, CommitBlob> | null }> {
  const out = (await runGit(worktree, ['ls-files', '--stage', '-z'], git)).stdout;
  const tracked: string[] = [];
  const blobs = new Map<string, CommitBlob>();
  let conflicted = false;
  for (const entry of out.split('\0')) {
    const match = /^(\d{6}) ([0-9a-f]{40}|[0-9a-f]{64}) (\d)\t(.+)$/s.exec(entry);
    if (match === null) continue;
    const [, mode = '', oid = '', stage, file = ''] = match;
    if (stage !== '0') conflicted = true;
    tracked.push(file);
    blobs.set(file, { mode, oid });
  }
  // An unmerged index is not a commit's: the file system answers for every file then.
  return { tracked, blobs: conflicted ? null : blobs };
}

function addFileList(
  tracked: readonly string[],
  fits: (text: string) => boolean,
  add: (text: string) => void,
  omitted: string[],
): void {
  const list = `# Files in the repository\n${tracked.join('\n')}`;
  if (fits(list)) return add(list);
  const shortList = `# Files in the repository (first ${Math.min(tracked.length, 200)} of ${tracked.length})\n${tracked.slice(0, 200).join('\n')}`;
  if (fits(shortList)) add(shortList);
  else omitted.push('file map');
}

function finishContext(
  sections: string[],
  includedFiles: string[],
  omitted: string[],
  analysis: RepoAnalysis | null,
  map: RepoMap | null,
  tracked: readonly string[],
  blobs: ReadonlyMap<string, CommitBlob> | null,
): BuiltContext {
  const all = [...sections];
  if (omitted.length > 0) all.push(`(Left out to fit the context window: ${omitted.join(', ')}.)`);
  const text = all.join('\n\n');
  return { text, includedFiles, omitted, estimatedTokens: estimateTokens(text), analysis, map, tracked, blobs };
}

async function readSmallText(file: string): Promise<string | null> {
  try {
    const stat = await fs.lstat(file);
    if (!stat.isFile()) return null;
    if (stat.size > MAX_FILE_BYTES) return `(file of ${stat.size} bytes: too large to include)`;
    const content = await fs.readFile(file, 'utf8');
    return content.includes('\0') ? '(binary file)' : content;
  } catch {
    return null;
  }
}
