// Dependencies for every attempt (DESIGN §9b). Setup is the only phase with network: it runs in the
// sandbox, writable only in its cache folder `<home>/deps/<workspace id>/<hash>/` (and a private /tmp),
// once per content hash of the lock files as committed on the base; the next attempt on the same lock
// files finds the folder and runs nothing. Checks see what setup made read-only, bound into their
// worktree (./dependency-mounts), with the network off; nothing is copied into the worktree on disk.
// When the model changed a manifest or a lock file, its attempt installs from the cache, in a folder
// of its own, with no network and no install scripts: a model-added package never reaches the network.
// Outcomes are recorded on the workspace (setup failures are the workspace's, not a task's).
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { SafetyConfig } from '../../../src-shared/config/schema';
import type { Workspace, WorkspaceSetupStatus } from '../../../src-shared/domain/records';
import type { HomePaths } from '../config/home';
import { readBlobAt } from '../git/read-blob';
import { isOid } from '../git/refs';
import type { GitCallOptions } from '../git/run-git';
import type { Logger } from '../log/logger';
import type { CheckDependencies } from '../safety/sandbox/dependency-mounts';
import { createSandboxDetector } from '../safety/sandbox/detect-sandbox';
import type { SandboxDetector } from '../safety/sandbox/detect-sandbox';
import { runSandboxed } from '../safety/sandbox/run-sandboxed';
import type { Store } from '../store/store';
import { CACHE_ENV, detectSetup } from '../workspaces/detect-setup';
import type { SetupPlan } from '../workspaces/detect-setup';
import { filesAtCommit } from '../workspaces/repo-files';

/** A finished install: the folder and what in it the checks need. */
export interface DependencyView {
  hash: string;
  folder: string;
  outputs: string[];
  env: Record<string, string>;
}

export type EnsureOutcome =
  | { kind: 'none' }
  | { kind: 'ready'; plan: SetupPlan; view: DependencyView; cacheHit: boolean; durationMs: number }
  | { kind: 'failed'; plan: SetupPlan; reason: string };

export type ChangedInstallOutcome =
  { kind: 'ready'; view: DependencyView; note: string } | { kind: 'failed'; note: string };

interface Marker {
  hash: string;
  command: string;
  outputs: string[];
  durationMs: number;
  finishedAt: string;
}

const MARKER = '.nocturnal-setup.json';
const TOOL_CACHE = '.nocturnal-cache';
// Installs download and build; longer than a check may take, still bounded so a stuck registry
// cannot hold the night.
const SETUP_TIMEOUT_MS = 15 * 60_000;
const OUTPUT_BYTES = 128 * 1024;

export interface DependencyServiceOptions {
  paths: HomePaths;
  store: Store;
  safety: SafetyConfig;
  git: GitCallOptions;
  log: Logger;
  now: () => Date;
  detector?: SandboxDetector;
}

/** Plans kept (a few base commits per workspace over a night). */
const MAX_PLANS = 64;
/** Input sets kept: fewer than plans, as lock files can be megabytes; the bases of a night fit. */
const MAX_INPUTS = 16;

export class DependencyService {
  private readonly detector: SandboxDetector;

  private readonly inFlight = new Map<string, Promise<EnsureOutcome>>();
  /**
   * Plans by repository, commit and `--setup`: a commit's files never change, so every attempt of the
   * night that starts from the same commit reads its lock files once, not once per attempt.
   */
  private readonly plans = new Map<string, Promise<SetupPlan | null>>();
  /**
   * Setup inputs (the lock files' content) by repository, commit and input list, for the same reason:
   * without it every attempt spawned two git processes per lock file to hash the same committed bytes.
   * A commit that changes a lock file is another commit, so it is read afresh.
   */
  private readonly inputs = new Map<string, Promise<Map<string, Buffer>>>();

  constructor(private readonly options: DependencyServiceOptions) {
    this.detector = options.detector ?? createSandboxDetector();
  }

  /** The setup this workspace gets at this commit: its own `--setup`, else the one its lock files call for. */
  plan(workspace: Workspace, commit: string): Promise<SetupPlan | null> {
    if (!isOid(commit))
      return detectSetup(filesAtCommit(workspace.path, commit, this.options.git), workspace.setupCommand);
    // A read that failed (the repository moved, a git error) is asked again next time.
    return rememberPromise(
      this.plans,
      JSON.stringify([workspace.path, commit, workspace.setupCommand]),
      MAX_PLANS,
      () => detectSetup(filesAtCommit(workspace.path, commit, this.options.git), workspace.setupCommand),
    );
  }

  /**
   * Makes sure the base's dependencies are installed: a cache hit runs nothing. A setup that failed on
   * these same lock files is not retried every attempt; `force` (`workspace check`) retries it.
   */
  ensure(
    workspace: Workspace,
    baseCommit: string,
    options: { signal?: AbortSignal; force?: boolean } = {},
  ): Promise<EnsureOutcome> {
    // Parallel attempts of one task ask for the same base at once: they share one setup run rather
    // than each clearing and refilling the same cache folder under the others.
    const key = `${workspace.id}:${baseCommit}`;
    const running = this.inFlight.get(key);
    if (running !== undefined && options.force !== true) return running;
    const work = this.ensureOnce(workspace, baseCommit, options).finally(() => {
      if (this.inFlight.get(key) === work) this.inFlight.delete(key);
    });
    this.inFlight.set(key, work);
    return work;
  }

  private async ensureOnce(
    workspace: Workspace,
    baseCommit: string,
    options: { signal?: AbortSignal; force?: boolean },
  ): Promise<EnsureOutcome> {
    const { log } = this.options;
    const plan = await this.plan(workspace, baseCommit);
    if (plan === null) return { kind: 'none' };
    const inputs = await this.readInputs(workspace, baseCommit, plan);
    const hash = hashInputs(plan, inputs);
    const folder = path.join(this.options.paths.deps, workspace.id, hash);
    const marker = await readMarker(folder);
    if (marker !== null) {
      log.info(
        { workspace: workspace.name, hash, folder },
        `dependency cache hit for ${workspace.name} (${plan.kind}, ${hash}): setup skipped`,
      );
      return {
        kind: 'ready',
        plan,
        view: { hash, folder, outputs: marker.outputs, env: toolEnv(plan, folder) },
        cacheHit: true,
        durationMs: 0,
      };
    }
    const previous = workspace.setupStatus;
    if (!options.force && previous?.state === 'failed' && previous.hash === hash) {
      return { kind: 'failed', plan, reason: failureReason(workspace, previous.message ?? 'setup failed') };
    }

    log.info(
      { workspace: workspace.name, hash, command: plan.command },
      `dependency setup for ${workspace.name}: ${plan.command} (network on, writable only ${folder})`,
    );
    await rm(folder, { recursive: true, force: true });
    await mkdir(path.join(folder, TOOL_CACHE), { recursive: true });
    await writeInputs(folder, inputs);
    const run = await runSandboxed({
      command: plan.command,
      cwd: folder,
      mode: this.options.safety.sandbox,
      timeoutMs: SETUP_TIMEOUT_MS,
      maxOutputBytes: OUTPUT_BYTES,
      readPaths: this.options.safety.sandbox_read_paths,
      hiddenPaths: [this.options.paths.home],
      env: { ...toolEnv(plan, folder), [CACHE_ENV]: path.join(folder, TOOL_CACHE) },
      network: true,
      detector: this.detector,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const status = (state: 'ready' | 'failed', message: string | null): WorkspaceSetupStatus => ({
      state,
      kind: plan.kind,
      command: plan.command,
      hash,
      durationMs: run.durationMs,
      at: this.options.now().toISOString(),
      message,
    });
    if (run.exitCode !== 0 || run.timedOut) {
      const why = run.timedOut
        ? `timed out after ${SETUP_TIMEOUT_MS / 60_000} min`
        : `exit code ${run.exitCode ?? `signal ${run.signal ?? '?'}`}`;
      const message = `\`${plan.command}\` failed (${why}):\n${run.output.slice(-2000)}`;
      await rm(folder, { recursive: true, force: true });
      this.options.store.workspaces.setSetupStatus(workspace.id, status('failed', message));
      log.warn(
        { workspace: workspace.name, hash, exitCode: run.exitCode, timedOut: run.timedOut },
        `dependency setup for ${workspace.name} failed`,
      );
      return { kind: 'failed', plan, reason: failureReason(workspace, message) };
    }
    const outputs = plan.outputs ?? (await createdEntries(folder, inputs));
    const done: Marker = {
      hash,
      command: plan.command,
      outputs,
      durationMs: run.durationMs,
      finishedAt: this.options.now().toISOString(),
    };
    // Written last: a folder without it is an interrupted setup and is started over.
    await writeFile(path.join(folder, MARKER), `${JSON.stringify(done, null, 2)}\n`);
    this.options.store.workspaces.setSetupStatus(workspace.id, status('ready', null));
    log.info(
      { workspace: workspace.name, hash, durationMs: run.durationMs, outputs },
      `dependency setup for ${workspace.name} finished in ${run.durationMs} ms`,
    );
    return {
      kind: 'ready',
      plan,
      view: { hash, folder, outputs, env: toolEnv(plan, folder) },
      cacheHit: false,
      durationMs: run.durationMs,
    };
  }

  /**
   * The model changed a manifest or lock file: install its version in a folder of this attempt, from
   * a copy of the base's tool cache, with the network off and install scripts off. The caller removes
   * the folder after the checks (`discard`).
   */
  async installChanged(
    workspace: Workspace,
    head: string,
    base: { plan: SetupPlan; view: DependencyView },
    attemptId: string,
    signal?: AbortSignal,
  ): Promise<ChangedInstallOutcome> {
    const { plan } = base;
    if (plan.offlineCommand === null)
      return {
        kind: 'failed',
        note: `the ${plan.kind} setup has no offline install: checks ran with the base's dependencies`,
      };
    const folder = path.join(this.options.paths.deps, workspace.id, `attempt-${attemptId}`);
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder, { recursive: true });
    await cp(path.join(base.view.folder, TOOL_CACHE), path.join(folder, TOOL_CACHE), { recursive: true });
    // Not kept: an attempt's head is installed once, and keeping it would push the bases out.
    const inputs = await this.readInputsNow(workspace, head, plan);
    await writeInputs(folder, inputs);
    const run = await runSandboxed({
      command: plan.offlineCommand,
      cwd: folder,
      mode: this.options.safety.sandbox,
      timeoutMs: SETUP_TIMEOUT_MS,
      maxOutputBytes: OUTPUT_BYTES,
      readPaths: this.options.safety.sandbox_read_paths,
      hiddenPaths: [this.options.paths.home],
      env: { ...toolEnv(plan, folder), [CACHE_ENV]: path.join(folder, TOOL_CACHE) },
      network: false,
      detector: this.detector,
      ...(signal ? { signal } : {}),
    });
    if (run.exitCode !== 0 || run.timedOut) {
      await rm(folder, { recursive: true, force: true });
      const tail = run.output.trim().split('\n').slice(-3).join(' | ');
      return {
        kind: 'failed',
        note: `the changed dependencies could not be installed offline (\`${plan.offlineCommand}\`, no network): ${tail}; checks ran with the base's dependencies`,
      };
    }
    const outputs = plan.outputs ?? (await createdEntries(folder, inputs));
    return {
      kind: 'ready',
      view: { hash: `attempt-${attemptId}`, folder, outputs, env: toolEnv(plan, folder) },
      note: `the changed dependencies were installed offline without install scripts (\`${plan.offlineCommand}\`)`,
    };
  }

  async discard(view: DependencyView): Promise<void> {
    if (view.hash.startsWith('attempt-')) await rm(view.folder, { recursive: true, force: true });
  }

  private readInputs(workspace: Workspace, commit: string, plan: SetupPlan): Promise<Map<string, Buffer>> {
    if (!isOid(commit)) return this.readInputsNow(workspace, commit, plan);
    // A read that failed is asked again next time.
    return rememberPromise(this.inputs, JSON.stringify([workspace.path, commit, plan.inputs]), MAX_INPUTS, () =>
      this.readInputsNow(workspace, commit, plan),
    );
  }

  private async readInputsNow(workspace: Workspace, commit: string, plan: SetupPlan): Promise<Map<string, Buffer>> {
    const inputs = new Map<string, Buffer>();
    for (const file of plan.inputs) {
      const blob = await readBlobAt(workspace.path, commit, file, this.options.git);
      if (blob.kind === 'found') inputs.set(file, blob.content);
    }
    return inputs;
  }
}

/** What a check run needs from an install: the binds into the worktree, the folder readable, tool env. */
export function checkDependencies(view: DependencyView | null): CheckDependencies | undefined {
  if (view === null) return undefined;
  return {
    mounts: view.outputs.map((name) => ({ source: path.join(view.folder, name), target: name })),
    readPaths: [view.folder],
    env: view.env,
  };
}

function toolEnv(plan: SetupPlan, folder: string): Record<string, string> {
  const cache = path.join(folder, TOOL_CACHE);
  return Object.fromEntries(
    Object.entries(plan.env).map(([name, value]) => [name, value.replaceAll('{cache}', cache)]),
  );
}

function hashInputs(plan: SetupPlan, inputs: Map<string, Buffer>): string {
  const hash = createHash('sha256').update(`${plan.kind}\0${plan.command}\0`);
  for (const [file, content] of [...inputs].sort(([a], [b]) => a.localeCompare(b)))
    hash.update(`${file}\0${content.length}\0`).update(content);
  return hash.digest('hex').slice(0, 16);
}

async function writeInputs(folder: string, inputs: Map<string, Buffer>): Promise<void> {
  for (const [file, content] of inputs) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await writeFile(path.join(folder, file), content);
  }
}

async function readMarker(folder: string): Promise<Marker | null> {
  const text = await readFile(path.join(folder, MARKER), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as Marker;
  } catch {
    return null;
  }
}

/** For a `--setup` command: what it created, apart from the inputs and the engine's own files. */
async function createdEntries(folder: string, inputs: Map<string, Buffer>): Promise<string[]> {
  const topInputs = new Set([...inputs.keys()].map((f) => f.split('/')[0]));
  return (await readdir(folder))
    .filter((name) => name !== TOOL_CACHE && name !== MARKER && !topInputs.has(name))
    .sort();
}

function failureReason(workspace: Workspace, message: string): string {
  return `the dependency setup of workspace "${workspace.name}" failed; fix it, then run \`nocturnal workspace check ${workspace.name}\`: ${message.split('\n')[0] ?? ''}`;
}

/**
 * The promise kept under `key`, or a new one from `make` kept there: at most `max` entries, the oldest
 * dropped first; a promise that rejects is forgotten, so the next caller asks again.
 */
function rememberPromise<T>(
  cache: Map<string, Promise<T>>,
  key: string,
  max: number,
  make: () => Promise<T>,
): Promise<T> {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const made = make();
  made.catch(() => cache.delete(key));
  cache.set(key, made);
  for (const oldest of cache.keys()) {
    if (cache.size <= max) break;
    cache.delete(oldest);
  }
  return made;
}
