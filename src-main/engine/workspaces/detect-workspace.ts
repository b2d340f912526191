// `workspaces:detect {path}`: what a repository offers before it is registered — check commands from
// its own files (package.json scripts, pytest, cargo, go, make) and the setup command its lock file
// implies — so the add-workspace form starts filled in. It only reads files: nothing is run here.
import path from 'node:path';
import type { WorkspaceChecks } from '../../../src-shared/domain/workspace';
import type { WorkspaceDetection } from '../../../src-shared/domain/workspace-detect';
import { getRepositoryInfo } from '../git/repository-info';
import type { GitCallOptions } from '../git/run-git';
import { detectChecks } from './detect-checks';
import { detectSetup } from './detect-setup';
import { filesInFolder } from './repo-files';

export async function detectWorkspace(requested: string, git: GitCallOptions): Promise<WorkspaceDetection> {
  const target = path.resolve(requested);
  const empty = { checks: {}, setup: null, evidence: [], suggestedName: null, currentBranch: null };
  const info = await getRepositoryInfo(target, git);
  if (!info.isRepository) return { path: target, isRepository: false, problem: info.reason, ...empty };
  if (info.bare || !info.topLevel)
    return {
      path: target,
      isRepository: true,
      problem: `${target} is a bare repository; register a repository with a working tree`,
      ...empty,
    };
  const root = info.topLevel;
  // The same detection `workspace add` uses (./detect-setup, ./detect-checks), on the folder as it is.
  const files = filesInFolder(root);
  const setup = await detectSetup(files, null);
  const suggested = await detectChecks(files, setup);
  const found = {
    checks: Object.fromEntries(suggested.map((c) => [c.name, c.command])) as WorkspaceChecks,
    setup: setup?.command ?? null,
    evidence: [...suggested.map((c) => `${c.name}: ${c.source}`), ...(setup ? [`setup: ${setup.reason}`] : [])],
  };
  return {
    path: root,
    isRepository: true,
    problem: info.hasCommits
      ? null
      : `${root} has no commits yet; make a first commit so there is a base to branch from`,
    suggestedName: path.basename(root),
    currentBranch: info.currentBranch,
    checks: found.checks,
    setup: found.setup,
    evidence: found.evidence,
  };
}
