// The dependency setup a repository needs (DESIGN §9b), read from its lock files. Each plan says
// which command installs with the network (run once per lock-file content in the cache folder), how
// to install without network and without install scripts when the model changed a manifest, which
// files feed it (copied from the base commit and hashed), and what environment points the tools at
// the cache. The first lock file found wins, in the order below: a lock file pins versions, a bare
// manifest does not.
import type { RepoFiles } from './repo-files';

export const setupKinds = ['npm', 'pnpm', 'yarn', 'uv', 'poetry', 'pip', 'venv', 'cargo', 'go', 'custom'] as const;
export type SetupKind = (typeof setupKinds)[number];

export interface SetupPlan {
  kind: SetupKind;
  /** Runs in the cache folder with the network: the only phase that has it. */
  command: string;
  /** For a model-changed manifest: no network, no install scripts. null where the tool has no such mode. */
  offlineCommand: string | null;
  /** Manifests and lock files present at the base: copied into the cache folder and hashed. */
  inputs: string[];
  /** Environment for setup and checks; `{cache}` stands for the cache folder's tool caches. */
  env: Record<string, string>;
  /** What setup makes that checks need in the worktree (node_modules, .venv); null: whatever it created. */
  outputs: string[] | null;
  /** Why this plan, for the CLI: "package-lock.json → npm ci". */
  reason: string;
}

/** The environment variable setup commands use for their tool caches (inside the cache folder). */
export const CACHE_ENV = 'NOCTURNAL_DEPS_CACHE';

interface Candidate {
  lock: string;
  kind: SetupKind;
  manifests: string[];
  command: string;
  offlineCommand: string | null;
  env?: Record<string, string>;
  outputs: string[];
}

// `--system-site-packages`: the machine's own Python packages (Debian's python3-pytest, say) stay
// usable inside the virtualenv, so a repository whose tests need only those sets up offline.
const VENV = 'python3 -m venv --system-site-packages .venv';
const PIP = '.venv/bin/python -m pip install --disable-pip-version-check --no-input';

const candidates: readonly Candidate[] = [
  {
    outputs: ['node_modules'],
    lock: 'package-lock.json',
    kind: 'npm',
    manifests: ['package.json'],
    command: `npm ci --no-audit --no-fund --cache "$${CACHE_ENV}/npm"`,
    offlineCommand: `npm ci --offline --ignore-scripts --no-audit --no-fund --cache "$${CACHE_ENV}/npm"`,
  },
  {
    outputs: ['node_modules'],
    lock: 'npm-shrinkwrap.json',
    kind: 'npm',
    manifests: ['package.json'],
    command: `npm ci --no-audit --no-fund --cache "$${CACHE_ENV}/npm"`,
    offlineCommand: `npm ci --offline --ignore-scripts --no-audit --no-fund --cache "$${CACHE_ENV}/npm"`,
  },
  {
    outputs: ['node_modules'],
    lock: 'pnpm-lock.yaml',
    kind: 'pnpm',
    manifests: ['package.json', 'pnpm-workspace.yaml'],
    command: `pnpm install --frozen-lockfile --store-dir "$${CACHE_ENV}/pnpm"`,
    offlineCommand: `pnpm install --frozen-lockfile --offline --ignore-scripts --store-dir "$${CACHE_ENV}/pnpm"`,
  },
  {
    outputs: ['node_modules'],
    lock: 'yarn.lock',
    kind: 'yarn',
    manifests: ['package.json'],
    command: `yarn install --frozen-lockfile --cache-folder "$${CACHE_ENV}/yarn"`,
    offlineCommand: `yarn install --frozen-lockfile --offline --ignore-scripts --cache-folder "$${CACHE_ENV}/yarn"`,
  },
  {
    outputs: ['.venv'],
    lock: 'uv.lock',
    kind: 'uv',
    manifests: ['pyproject.toml'],
    command: 'uv sync --frozen',
    offlineCommand: 'uv sync --frozen --offline',
    env: { UV_CACHE_DIR: '{cache}/uv', UV_PROJECT_ENVIRONMENT: '.venv' },
  },
  {
    outputs: ['.venv'],
    lock: 'poetry.lock',
    kind: 'poetry',
    manifests: ['pyproject.toml'],
    command: 'poetry install --no-root --no-interaction',
    offlineCommand: null,
    env: { POETRY_VIRTUALENVS_IN_PROJECT: 'true', POETRY_CACHE_DIR: '{cache}/poetry' },
  },
  {
    outputs: ['.venv'],
    lock: 'requirements.txt',
    kind: 'pip',
    manifests: [],
    command: `${VENV} && ${PIP} -r requirements.txt`,
    offlineCommand: `${VENV} && ${PIP} --no-index -r requirements.txt`,
    env: { PIP_CACHE_DIR: '{cache}/pip' },
  },
  // cargo fetch reads the manifest, which names targets; a stub library lets it parse in the cache folder.
  {
    outputs: [],
    lock: 'Cargo.lock',
    kind: 'cargo',
    manifests: ['Cargo.toml'],
    command: 'mkdir -p src && { [ -e src/lib.rs ] || : > src/lib.rs; } && cargo fetch --locked',
    offlineCommand: 'mkdir -p src && { [ -e src/lib.rs ] || : > src/lib.rs; } && cargo fetch --locked --offline',
    env: { CARGO_HOME: '{cache}/cargo' },
  },
  {
    outputs: [],
    lock: 'go.sum',
    kind: 'go',
    manifests: ['go.mod'],
    command: 'go mod download',
    offlineCommand: 'GOPROXY=off go mod download',
    env: { GOMODCACHE: '{cache}/gomod', GOFLAGS: '-mod=readonly' },
  },
];

export async function detectSetup(files: RepoFiles, override: string | null = null): Promise<SetupPlan | null> {
  let found: SetupPlan | null = null;
  for (const candidate of candidates) {
    if ((await files.read(candidate.lock)) === null) continue;
    const inputs = [candidate.lock];
    for (const manifest of candidate.manifests) if ((await files.read(manifest)) !== null) inputs.push(manifest);
    found = {
      kind: candidate.kind,
      command: candidate.command,
      offlineCommand: candidate.offlineCommand,
      inputs: inputs.sort(),
      env: candidate.env ?? {},
      outputs: candidate.outputs,
      reason: `${candidate.lock} → ${candidate.command.replace(/ --cache(-folder)? "[^"]*"| --store-dir "[^"]*"/g, '')}`,
    };
    break;
  }
  if (found === null && (await files.read('pyproject.toml')) !== null) {
    // A Python project without a lock file: a virtualenv on the machine's packages, nothing fetched.
    found = {
      kind: 'venv',
      command: VENV,
      offlineCommand: VENV,
      inputs: ['pyproject.toml'],
      env: {},
      outputs: ['.venv'],
      reason: `pyproject.toml (no lock file) → ${VENV}`,
    };
  }
  if (override === null) return found;
  return {
    kind: 'custom',
    command: override,
    // A custom command says nothing about an offline mode: a changed manifest gets no install at all.
    offlineCommand: null,
    inputs: found?.inputs ?? [],
    env: found?.env ?? {},
    outputs: found?.outputs ?? null,
    reason: `--setup → ${override}`,
  };
}

/** Manifests and lock files anywhere in the tree: a change to one is a dependency change. */
const DEPENDENCY_FILE =
  /(^|\/)(package\.json|package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|pnpm-workspace\.yaml|yarn\.lock|\.npmrc|\.yarnrc(\.yml)?|requirements[^/]*\.txt|pyproject\.toml|poetry\.lock|uv\.lock|Pipfile(\.lock)?|setup\.py|setup\.cfg|Cargo\.toml|Cargo\.lock|go\.mod|go\.sum)$/;

export function dependencyFilesIn(paths: readonly string[]): string[] {
  return paths.filter((p) => DEPENDENCY_FILE.test(p));
}
