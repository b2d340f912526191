// `workspaces:detect {path}`: what a repository offers before it is registered — check commands from
// its own files (package.json scripts, pytest, cargo, go, make) and the setup command its lock file
// implies — so the add-workspace form starts filled in. It only reads files: nothing is run here.
import fs from 'node:fs';
import path from 'node:path';
import type { WorkspaceChecks } from '../../../src-shared/domain/workspace';
import type { WorkspaceDetection } from '../../../src-shared/domain/workspace-detect';
import { getRepositoryInfo } from '../git/repository-info';
import type { GitCallOptions } from '../git/run-git';

export async function detectWorkspace(requested: string, git: GitCallOptions): Promise<WorkspaceDetection> {
  const target = path.resolve(requested);
  const empty = { checks: {}, setup: null, evidence: [], suggestedName: null, currentBranch: null };
  const info = await getRepositoryInfo(target, git);
  if (!info.isRepository) return { path: target, isRepository: false, problem: info.reason, ...empty };
  if (info.bare || !info.topLevel) return { path: target, isRepository: true, problem: `${target} is a bare repository; register a repository with a working tree`, ...empty };
  const root = info.topLevel;
  const found = detectChecks(root);
  return {
    path: root,
    isRepository: true,
    problem: info.hasCommits ? null : `${root} has no commits yet; make a first commit so there is a base to branch from`,
    suggestedName: path.basename(root),
    currentBranch: info.currentBranch,
    checks: found.checks,
    setup: found.setup,
    evidence: found.evidence,
  };
}

export function detectChecks(root: string): { checks: WorkspaceChecks; setup: string | null; evidence: string[] } {
  const checks: WorkspaceChecks = {};
  const evidence: string[] = [];
  const has = (file: string) => fs.existsSync(path.join(root, file));
  const suggest = (name: keyof WorkspaceChecks, command: string, why: string) => {
    if (checks[name]) return;
    checks[name] = command;
    evidence.push(`${name}: ${why}`);
  };

  const scripts = readPackageScripts(path.join(root, 'package.json'));
  if (scripts) {
    const runner = has('pnpm-lock.yaml') ? 'pnpm' : has('yarn.lock') ? 'yarn' : 'npm';
    const run = (script: string) => (runner === 'npm' ? (script === 'test' ? 'npm test' : `npm run ${script}`) : `${runner} ${script}`);
    if (scripts['test'] && !/no test specified/.test(scripts['test'])) suggest('test', run('test'), 'package.json scripts.test');
    if (scripts['lint']) suggest('lint', run('lint'), 'package.json scripts.lint');
    for (const name of ['typecheck', 'type-check', 'tsc']) if (scripts[name]) suggest('typecheck', run(name), `package.json scripts.${name}`);
    if (scripts['build']) suggest('build', run('build'), 'package.json scripts.build');
  }
  if (has('pyproject.toml') || has('pytest.ini') || has('setup.cfg') || has('tox.ini')) {
    const pyproject = has('pyproject.toml') ? fs.readFileSync(path.join(root, 'pyproject.toml'), 'utf8') : '';
    if (has('pytest.ini') || /\[tool\.pytest/.test(pyproject) || fs.existsSync(path.join(root, 'tests'))) suggest('test', 'python3 -m pytest -q', has('pytest.ini') ? 'pytest.ini' : 'pyproject.toml / tests/');
    if (/\[tool\.ruff/.test(pyproject)) suggest('lint', 'ruff check .', 'pyproject.toml [tool.ruff]');
    if (/\[tool\.mypy/.test(pyproject)) suggest('typecheck', 'mypy .', 'pyproject.toml [tool.mypy]');
  }
  if (has('Cargo.toml')) {
    suggest('test', 'cargo test', 'Cargo.toml');
    suggest('lint', 'cargo clippy -- -D warnings', 'Cargo.toml');
    suggest('build', 'cargo build', 'Cargo.toml');
  }
  if (has('go.mod')) {
    suggest('test', 'go test ./...', 'go.mod');
    suggest('lint', 'go vet ./...', 'go.mod');
    suggest('build', 'go build ./...', 'go.mod');
  }
  if (has('Makefile')) {
    const makefile = fs.readFileSync(path.join(root, 'Makefile'), 'utf8');
    if (/^test:/m.test(makefile)) suggest('test', 'make test', 'Makefile target test');
    if (/^lint:/m.test(makefile)) suggest('lint', 'make lint', 'Makefile target lint');
  }

  const setups: [string, string][] = [
    ['pnpm-lock.yaml', 'pnpm install --frozen-lockfile'],
    ['yarn.lock', 'yarn install --frozen-lockfile'],
    ['package-lock.json', 'npm ci'],
    ['uv.lock', 'uv sync'],
    ['poetry.lock', 'poetry install'],
    ['requirements.txt', 'python3 -m pip install -r requirements.txt'],
    ['Cargo.lock', 'cargo fetch'],
    ['go.sum', 'go mod download'],
  ];
  const setupFound = setups.find(([file]) => has(file));
  if (setupFound) evidence.push(`setup: ${setupFound[0]}`);
  return { checks, setup: setupFound?.[1] ?? null, evidence };
}

function readPackageScripts(file: string): Record<string, string> | null {
  if (!fs.existsSync(file)) return null;
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { scripts?: unknown };
    if (typeof parsed.scripts !== 'object' || parsed.scripts === null) return {};
    return Object.fromEntries(Object.entries(parsed.scripts).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    // A broken package.json suggests nothing; the form says no checks were found.
    return {};
  }
}
