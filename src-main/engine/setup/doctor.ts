// `nocturnal doctor`: what a night needs from this machine, each checked for real and said with its
// fix — git new enough, a sandbox that actually runs a command, the model (a readable GGUF file, or the
// server answering with the configured model), room on the disk, and a private home. It reuses the
// engine's own checks (git-version, the sandbox detector and runner, the GGUF inspector, server
// discovery) and needs no engine: a machine the engine refuses to start on is exactly where it helps.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../../src-shared/config/schema';
import type { HomePaths } from '../config/home';
import { checkGitVersion, MIN_GIT_VERSION } from '../git/git-version';
import { resolveModelFile } from '../llm/resolve-model-file';
import { inspectModelFile } from '../models/gguf-facts';
import { createSandboxDetector } from '../safety/sandbox/detect-sandbox';
import { runSandboxed, SandboxUnavailableError } from '../safety/sandbox/run-sandboxed';
import { discoverLocalServers } from './discover-servers';

export type DoctorStatus = 'OK' | 'WARN' | 'FAIL';

export interface DoctorCheck {
  id: 'config' | 'git' | 'sandbox' | 'model' | 'disk' | 'home';
  status: DoctorStatus;
  message: string;
  /** What to do about a WARN or FAIL; null when OK. */
  fix: string | null;
}

export interface DoctorInput {
  paths: Pick<HomePaths, 'home' | 'database' | 'models'>;
  config: Config;
  env: NodeJS.ProcessEnv;
}

const GB = 1024 ** 3;

export async function runDoctor(input: DoctorInput): Promise<DoctorCheck[]> {
  return Promise.all([checkGit(input), checkSandbox(input), checkModel(input), checkDisk(input), checkHome(input)]);
}

async function checkGit(input: DoctorInput): Promise<DoctorCheck> {
  const cwd = fs.existsSync(input.paths.home) ? input.paths.home : os.tmpdir();
  const found = await checkGitVersion(cwd, {});
  if (found.ok) return ok('git', `git ${found.version} (needs ${MIN_GIT_VERSION.join('.')} or newer)`);
  return fail(
    'git',
    found.reason,
    `install git ${MIN_GIT_VERSION.join('.')} or newer (Debian/Ubuntu: the backports or the git-core PPA; macOS: xcode-select --install or Homebrew) and make sure it is on the PATH`,
  );
}

async function checkSandbox(input: DoctorInput): Promise<DoctorCheck> {
  const mode = input.config.safety.sandbox;
  if (mode === 'off')
    return warn(
      'sandbox',
      'safety.sandbox is off: checks run without a sandbox, with your user rights',
      'set "safety.sandbox: auto" in config.yaml (nocturnal config set safety.sandbox auto)',
    );
  const detector = createSandboxDetector({ searchPath: input.env['PATH'] ?? '' });
  const support = await detector.detect();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-doctor-'));
  try {
    // A real check's path: the runner's own mounts, scrubbed environment and limits, in a scratch folder.
    const run = await runSandboxed({
      command: 'echo sandboxed > probe.txt && cat probe.txt',
      cwd: scratch,
      mode: 'required',
      timeoutMs: 20_000,
      maxOutputBytes: 4096,
      detector,
      hiddenPaths: [input.paths.home],
    });
    const wrote = fs.existsSync(path.join(scratch, 'probe.txt'));
    if (run.exitCode === 0 && run.stdout.trim() === 'sandboxed' && wrote)
      return ok(
        'sandbox',
        `${support.kind} works: ran a command in the sandbox in ${Math.round(run.durationMs)} ms (${support.reason})`,
      );
    return fail(
      'sandbox',
      `${support.kind} is present but a trivial sandboxed command failed (exit ${run.exitCode ?? run.signal ?? '?'}): ${run.output.trim().split('\n').slice(-3).join(' ') || 'no output'}${run.hint ? ` — ${run.hint}` : ''}`,
      sandboxFix(),
    );
  } catch (error) {
    if (error instanceof SandboxUnavailableError)
      return fail('sandbox', `no usable sandbox: ${support.reason}`, sandboxFix());
    return fail('sandbox', `running a sandboxed command failed: ${(error as Error).message}`, sandboxFix());
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function sandboxFix(): string {
  return process.platform === 'darwin'
    ? 'sandbox-exec ships with macOS in /usr/bin; check that it is present and runnable'
    : 'install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap) and allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)';
}

async function checkModel(input: DoctorInput): Promise<DoctorCheck> {
  const { llm } = input.config;
  if (llm.provider === 'openai') {
    const { found, skipped } = await discoverLocalServers({
      servers: [{ id: 'configured', name: 'the configured server', apiUrl: llm.api_url.replace(/\/+$/, '') }],
      timeoutMs: 3000,
    });
    const server = found[0];
    if (!server)
      return fail(
        'model',
        `the server at ${llm.api_url} is not reachable: ${skipped[0]?.reason ?? 'no answer'}`,
        `start the server (LM Studio, Ollama, llama-server…) or point llm.api_url at it`,
      );
    if (!server.models.includes(llm.model)) {
      return fail(
        'model',
        `the server at ${llm.api_url} answers but does not serve "${llm.model}" (it lists: ${server.models.join(', ') || 'nothing'})`,
        `load the model in the server, or choose one it lists: nocturnal config set llm.model ${server.models[0] ?? 'NAME'}`,
      );
    }
    return ok('model', `the server at ${llm.api_url} serves "${llm.model}"`);
  }
  if (llm.model_path === null)
    return fail(
      'model',
      'no model is chosen (llm.model_path is null)',
      'nocturnal model list, then nocturnal model pull NAME (or nocturnal model use PATH for a GGUF you have)',
    );
  const file = resolveModelFile(llm.model_path, input.paths.models);
  if (!fs.existsSync(file))
    return fail(
      'model',
      `the model file ${file} (llm.model_path: ${llm.model_path}) does not exist`,
      'nocturnal model pull NAME, or nocturnal model use PATH for a GGUF you have',
    );
  const check = await inspectModelFile(file);
  if (!check.ok)
    return fail(
      'model',
      `${file} is not a usable GGUF model: ${check.reason}`,
      'download it again (nocturnal model pull NAME) or choose another file (nocturnal model use PATH)',
    );
  const { facts } = check;
  return ok(
    'model',
    `${file}: GGUF v${facts.version}, ${facts.architecture ?? 'unknown architecture'}, ${facts.tensorCount} tensors, ${(facts.fileSize / GB).toFixed(2)} GB`,
  );
}

async function checkDisk(input: DoctorInput): Promise<DoctorCheck> {
  // The home may not exist yet: the disk it will live on is its nearest existing parent's.
  let where = input.paths.home;
  while (!fs.existsSync(where) && path.dirname(where) !== where) where = path.dirname(where);
  const stats = await fs.promises.statfs(where);
  const freeGb = (stats.bavail * stats.bsize) / GB;
  const minimum = input.config.safety.min_free_disk_gb;
  const said = `${freeGb.toFixed(1)} GB free on the disk of ${input.paths.home}`;
  const fix = `free some space there, or move the home (--home / NOCTURNAL_HOME) to a larger disk`;
  if (freeGb < minimum)
    return fail('disk', `${said}: below safety.min_free_disk_gb (${minimum} GB), so sessions pause`, fix);
  // Room for what a night writes: worktrees, dependency caches, logs, and a model download.
  if (freeGb < minimum + 10)
    return warn('disk', `${said}: less than 10 GB above safety.min_free_disk_gb (${minimum} GB)`, fix);
  return ok('disk', said);
}

async function checkHome(input: DoctorInput): Promise<DoctorCheck> {
  const { home, database } = input.paths;
  if (!fs.existsSync(home))
    return warn('home', `${home} does not exist yet`, 'nocturnal init creates it (private, 0700)');
  const homeStat = fs.statSync(home);
  const uid = process.getuid?.();
  if (uid !== undefined && homeStat.uid !== uid)
    return fail('home', `${home} belongs to user ${homeStat.uid}, not to you (${uid})`, `chown -R $(id -u) ${home}`);
  try {
    fs.accessSync(home, fs.constants.W_OK);
  } catch {
    return fail('home', `${home} is not writable`, `chmod u+w ${home} (or choose another home with --home)`);
  }
  const problems: string[] = [];
  const fixes: string[] = [];
  // Group and other bits only: the database and the logs hold prompts, code and paths.
  if ((homeStat.mode & 0o077) !== 0) {
    problems.push(`${home} is ${octal(homeStat.mode)}, readable by others (expected 0700)`);
    fixes.push(`chmod 700 ${home}`);
  }
  if (fs.existsSync(database)) {
    const dbMode = fs.statSync(database).mode;
    if ((dbMode & 0o077) !== 0) {
      problems.push(`${database} is ${octal(dbMode)} (expected 0600)`);
      fixes.push(`chmod 600 ${database}`);
    }
  }
  if (problems.length > 0) return warn('home', problems.join('; '), fixes.join(' && '));
  return ok('home', `${home} is private (0700)${fs.existsSync(database) ? ', database 0600' : ''}`);
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}

function ok(id: DoctorCheck['id'], message: string): DoctorCheck {
  return { id, status: 'OK', message, fix: null };
}

function warn(id: DoctorCheck['id'], message: string, fix: string): DoctorCheck {
  return { id, status: 'WARN', message, fix };
}

function fail(id: DoctorCheck['id'], message: string, fix: string): DoctorCheck {
  return { id, status: 'FAIL', message, fix };
}
