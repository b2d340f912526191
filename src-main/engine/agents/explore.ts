// The explore step: one short `nocturnal_explore` call before the first edit call, given the task and the
// repo map. What it asks for is read for the edit call: files through the path guard (only tracked
// files, nothing protected), symbols resolved through the map to their definitions. The step is an aid,
// never a requirement: a malformed reply or a failed call is logged and the attempt goes on without it.
import type { SafetyConfig } from '../../../src-shared/config/schema';
import type { Logger } from '../log/logger';
import { exploreSchema } from '../llm/protocol';
import type { InteractionContext } from '../store/interactions-repo';
import type { ModelCaller } from './model-caller';
import { explorePromptV1 } from './prompts/explore-v1';
import type { TaskBrief } from './prompts/prompt-types';
import type { RepoAnalysis, SymbolRegion } from './repo-map/repo-map';
import { findSymbols, fitRepoMap } from './repo-map/repo-map';
import { createPathGuard } from '../safety/path-guard';

/** The reply is a few short lists: this many tokens is plenty and keeps the call cheap. */
export const EXPLORE_MAX_TOKENS = 384;
const MAX_LINES_PER_SYMBOL = 80;

export interface ExploreRequest {
  model: Pick<ModelCaller, 'call'>;
  log: Logger;
  task: TaskBrief;
  analysis: RepoAnalysis;
  /** Token budget for the map shown to the explore call. */
  mapBudgetTokens: number;
  worktree: string;
  safety: Pick<SafetyConfig, 'protected_paths'>;
  context: InteractionContext;
  conversationId?: string;
  signal?: AbortSignal;
}

export interface Explored {
  files: string[];
  regions: SymbolRegion[];
  /** What was asked for and not given, with why (logged; the edit call does not see it). */
  refused: string[];
}

export async function explore(request: ExploreRequest): Promise<Explored | null> {
  const map = fitRepoMap(request.analysis, request.mapBudgetTokens);
  let reply;
  try {
    reply = await request.model.call({
      agent: 'direct',
      promptId: explorePromptV1.id,
      messages: explorePromptV1.render({ task: request.task, map: map.text }),
      schema: exploreSchema,
      context: request.context,
      maxTokens: EXPLORE_MAX_TOKENS,
      ...(request.conversationId ? { conversationId: request.conversationId } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (error) {
    // The edit call that follows reports a provider that is really down; here it only costs the aid.
    request.log.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'the explore call failed; editing without it',
    );
    return null;
  }
  const tracked = request.analysis.files;
  const guard = await createPathGuard(request.worktree, { protectedPaths: request.safety.protected_paths });
  const files: string[] = [];
  const refused: string[] = [];
  for (const asked of reply.value.files) {
    const checked = await guard.check(asked);
    if (!checked.ok) refused.push(`${asked}: ${checked.reason}`);
    else if (!tracked.has(checked.relPath)) refused.push(`${asked}: not a file in the repository`);
    else if (!files.includes(checked.relPath)) files.push(checked.relPath);
  }
  const found = findSymbols(
    request.analysis.outlines,
    reply.value.symbols,
    MAX_LINES_PER_SYMBOL,
    request.analysis.ranked.map((r) => r.file),
  );
  refused.push(...found.unknown.map((name) => `${name}: no such symbol in the map`));
  // A symbol in a protected file is not read either.
  const regions: SymbolRegion[] = [];
  for (const region of found.regions) {
    const checked = await guard.check(region.file);
    if (checked.ok) regions.push(region);
    else refused.push(`${region.symbol} in ${region.file}: ${checked.reason}`);
  }
  request.log.info(
    { files, symbols: regions.map((r) => `${r.file}:${r.symbol}`), refused, reason: reply.value.reason },
    'explore call answered',
  );
  return { files, regions, refused };
}
