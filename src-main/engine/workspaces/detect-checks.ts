// Check commands suggested from what a repository already declares (DESIGN §9b): package.json
// scripts, pytest configuration, Cargo, Go modules, Makefile targets. The first source that names a
// check wins; nothing is invented for a check the repository does not have. Each suggestion says
// where it came from, so the CLI can show why, and whether its program is on PATH.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { CheckName } from '../../../src-shared/domain/attempt';
import type { SetupPlan } from './detect-setup';
import type { RepoFiles } from './repo-files';

export interface SuggestedCheck {
  name: CheckName;
  command: string;
  /** "package.json scripts.test", "pytest (pyproject.toml [tool.pytest.ini_options])"… */
  source: string;
}

const NPM_DEFAULT_TEST = /no test specified/;

export async function detectChecks(files: RepoFiles, setup: SetupPlan | null): Promise<SuggestedCheck[]> {
  const found = new Map<CheckName, SuggestedCheck>();
  const suggest = (check: SuggestedCheck) => {
    if (!found.has(check.name)) found.set(check.name, check);
  };

  const packageJson = parseJson(await files.read('package.json'));
  const scripts = isRecord(packageJson) && isRecord(packageJson['scripts']) ? packageJson['scripts'] : {};
  const runner = setup?.kind === 'pnpm' ? 'pnpm' : setup?.kind === 'yarn' ? 'yarn' : 'npm';
  const scriptFor: Record<CheckName, string[]> = {
    test: ['test'],
    typecheck: ['typecheck', 'type-check', 'tsc', 'check-types'],
    lint: ['lint'],
    build: ['build'],
  };
  for (const [name, keys] of Object.entries(scriptFor) as [CheckName, string[]][]) {
    const key = keys.find((k) => typeof scripts[k] === 'string' && scripts[k] !== '');
    if (key === undefined) continue;
    if (name === 'test' && NPM_DEFAULT_TEST.test(String(scripts[key]))) continue;
    suggest({
      name,
      command: key === 'test' ? `${runner} test` : `${runner} run ${key}`,
      source: `package.json scripts.${key}`,
    });
  }

  const python =
    setup !== null && ['pip', 'uv', 'poetry', 'venv'].includes(setup.kind) ? '.venv/bin/python' : 'python3';
  const pytestSource = await pytestEvidence(files);
  if (pytestSource !== null) suggest({ name: 'test', command: `${python} -m pytest -q`, source: pytestSource });

  if ((await files.read('Cargo.toml')) !== null) {
    suggest({ name: 'test', command: 'cargo test --offline', source: 'Cargo.toml' });
    suggest({ name: 'typecheck', command: 'cargo check --offline', source: 'Cargo.toml' });
  }
  if ((await files.read('go.mod')) !== null) {
    suggest({ name: 'test', command: 'go test -v ./...', source: 'go.mod' });
    suggest({ name: 'typecheck', command: 'go vet ./...', source: 'go.mod' });
  }

  const makefile = (await files.read('Makefile')) ?? (await files.read('makefile'));
  if (makefile !== null) {
    for (const name of ['test', 'lint', 'typecheck', 'build'] as const) {
      if (new RegExp(`^${name}\\s*:`, 'm').test(makefile))
        suggest({ name, command: `make ${name}`, source: `Makefile target ${name}` });
    }
  }
  const order: CheckName[] = ['test', 'typecheck', 'lint', 'build'];
  return order.flatMap((name) => (found.has(name) ? [found.get(name) as SuggestedCheck] : []));
}

async function pytestEvidence(files: RepoFiles): Promise<string | null> {
  const pyproject = await files.read('pyproject.toml');
  if (pyproject !== null && /^\[tool\.pytest/m.test(pyproject)) return 'pytest (pyproject.toml [tool.pytest])';
  if ((await files.read('pytest.ini')) !== null) return 'pytest (pytest.ini)';
  if ((await files.read('conftest.py')) !== null) return 'pytest (conftest.py)';
  const setupCfg = await files.read('setup.cfg');
  if (setupCfg !== null && /^\[tool:pytest\]/m.test(setupCfg)) return 'pytest (setup.cfg [tool:pytest])';
  for (const requirements of ['requirements.txt', 'requirements-dev.txt', 'dev-requirements.txt']) {
    const text = await files.read(requirements);
    if (text !== null && /^\s*pytest\b/im.test(text)) return `pytest (${requirements})`;
  }
  if (pyproject !== null && /["']?pytest\b/.test(pyproject)) return 'pytest (pyproject.toml dependencies)';
  return null;
}

/**
 * The program a check starts, when it cannot be found: on PATH for a bare name, in the worktree for a
 * relative path that setup makes (.venv/bin/python is there only after setup, so it counts as found
 * when a setup is planned). Folders under the user's home are not searched: checks never see them.
 */
export function missingProgram(
  command: string,
  options: { path: string; home: string; setupPlanned: boolean },
): string | null {
  const program = command.trim().split(/\s+/)[0] ?? '';
  if (program === '' || /=/.test(program)) return null;
  if (program.includes('/')) return options.setupPlanned || path.isAbsolute(program) ? null : program;
  const dirs = options.path
    .split(path.delimiter)
    .filter((d) => d !== '' && !(d + path.sep).startsWith(options.home + path.sep));
  for (const dir of dirs) {
    try {
      accessSync(path.join(dir, program), constants.X_OK);
      return null;
    } catch {
      // not in this folder
    }
  }
  return program;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
