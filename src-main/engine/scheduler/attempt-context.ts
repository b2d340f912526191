// Everything an attempt needs from the rest of the engine, passed in (no singletons): this is the
// seam the tests use to run the real pipeline against real repositories and a loopback model server.
import type { Config } from '../../../src-shared/config/schema';
import type { CheckOutcome } from '../../../src-shared/domain/attempt';
import type { AttemptProgress, AttemptStage } from '../../../src-shared/domain/progress';
import type { ModelCaller } from '../agents/model-caller';
import type { DependencyService } from '../deps/dependency-service';
import type { CheckDependencies } from '../safety/sandbox/dependency-mounts';
import type { HomePaths } from '../config/home';
import type { GitCallOptions } from '../git/run-git';
import type { EngineWorktree } from '../git/engine-worktree';
import type { CommitResolutionCache } from '../git/commit-resolution-cache';
import type { Logger } from '../log/logger';
import type { KnowledgeVault } from '../knowledge/knowledge-vault';
import type { Store } from '../store/store';
import type { WorktreePool } from './worktree-pool';
import type { CommitBlob, OutlineCache } from '../agents/repo-map/outline-cache';

export interface CheckRunner {
  /** Runs the checks in the worktree; throws when they tampered with its git wiring. */
  run(input: {
    worktree: EngineWorktree;
    checks: Record<string, string>;
    signal?: AbortSignal;
    dependencies?: CheckDependencies;
  }): Promise<CheckOutcome[]>;
}

export interface AttemptDeps {
  config: Config;
  paths: HomePaths;
  store: Store;
  /** Policy and logger for every git process (the command policy vetoes each one). */
  git: GitCallOptions;
  model: ModelCaller;
  checks: CheckRunner;
  /** The workspace's dependency setup and cache (DESIGN §9b). */
  dependencies: DependencyService;
  knowledge: KnowledgeVault;
  log: Logger;
  now: () => Date;
  /** Baseline runs per workspace and base commit, shared by the attempts of one session (also while running). */
  baselineCache: Map<string, Promise<CheckOutcome[]>>;
  /** Merges already made this night, for `scheduler.max_changes_per_night`. */
  mergedThisNight: () => number;
  onProgress?: (event: AttemptProgress) => void;
  /** The session's worktree pool; without one each attempt makes and removes its own worktree. */
  pool?: WorktreePool;
  /**
   * The session's repo-map outlines: an attempt in a pooled worktree parses only the files that differ
   * from what an earlier attempt there parsed. Without one, each attempt keeps its own.
   */
  outlines?: OutlineCache;
  /**
   * The tracked files at each start commit (`<workspace id>:<commit>`) with their blob ids, as an
   * attempt's first context build listed them: the next attempt from the same commit has the same
   * index and needs no `ls-files`, and its repo map finds unchanged outlines by blob id.
   */
  trackedAtStart?: Map<string, StartListing>;
  /** The base and target commits, kept while the ref files they were resolved from are unchanged. */
  commits?: CommitResolutionCache;
}

/** A start commit's tracked files and their index entries (null: the file system answers instead). */
export interface StartListing {
  tracked: readonly string[];
  blobs: ReadonlyMap<string, CommitBlob> | null;
}

export type { AttemptProgress, AttemptStage };
