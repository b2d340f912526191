// Which OS sandbox can run checks here. Being installed is not enough — bubblewrap fails at run time
// where user namespaces are disabled (some containers, hardened kernels) — so the detector starts a
// real, trivial sandbox once and keeps the answer in the object it returns (one per engine, no
// module state), together with bubblewrap's own words when it fails.
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { takeForkTurn } from '../../loop/fork-turn';

export type SandboxKind = 'bubblewrap' | 'sandbox-exec' | 'none';

export interface SandboxSupport {
  kind: SandboxKind;
  /** Why this kind: what was found and tried, readable by a person. */
  reason: string;
  /** The bwrap or sandbox-exec executable, when kind is not 'none'. */
  executable?: string;
  /** bubblewrap can also forbid new user namespaces inside the sandbox (--disable-userns, 0.8+). */
  disableUserns: boolean;
}

export interface SandboxDetector {
  detect(): Promise<SandboxSupport>;
}

export interface SandboxDetectorOptions {
  platform?: NodeJS.Platform;
  /** Where to look for bwrap/sandbox-exec; defaults to process.env.PATH. */
  searchPath?: string;
  /** An explicit bwrap executable, skipping the PATH search. */
  bwrapPath?: string;
}

const PROBE_TIMEOUT_MS = 15_000;
const BASE_PROBE = [
  '--unshare-all',
  '--die-with-parent',
  '--new-session',
  '--cap-drop',
  'ALL',
  '--ro-bind',
  '/',
  '/',
  '--dev',
  '/dev',
  '--proc',
  '/proc',
  '--tmpfs',
  '/tmp',
];
const USERNS_PROBE = ['--unshare-user', '--disable-userns'];

export function createSandboxDetector(options: SandboxDetectorOptions = {}): SandboxDetector {
  let cached: Promise<SandboxSupport> | null = null;
  return {
    detect() {
      cached ??= probe(options);
      return cached;
    },
  };
}

async function probe(options: SandboxDetectorOptions): Promise<SandboxSupport> {
  const platform = options.platform ?? process.platform;
  const searchPath = options.searchPath ?? process.env['PATH'] ?? '';
  if (platform === 'darwin') {
    const exe = await findExecutable('sandbox-exec', searchPath, ['/usr/bin/sandbox-exec']);
    if (exe === null) return none('sandbox-exec was not found (it ships with macOS in /usr/bin)');
    const run = await runProbe(exe, ['-p', '(version 1)(allow default)', '/usr/bin/true']);
    return run.ok
      ? { kind: 'sandbox-exec', reason: `${exe} works`, executable: exe, disableUserns: false }
      : none(`${exe} is present but failed: ${run.detail}`);
  }
  if (platform !== 'linux') return none(`no supported sandbox on ${platform} (Linux: bubblewrap; macOS: sandbox-exec)`);

  const exe =
    options.bwrapPath ?? (await findExecutable('bwrap', searchPath, ['/usr/bin/bwrap', '/usr/local/bin/bwrap']));
  if (exe === null) return none('bubblewrap (bwrap) is not installed');
  const full = await runProbe(exe, [...BASE_PROBE, ...USERNS_PROBE, 'true']);
  if (full.ok) return { kind: 'bubblewrap', reason: `${exe} works`, executable: exe, disableUserns: true };
  const basic = await runProbe(exe, [...BASE_PROBE, 'true']);
  if (basic.ok) {
    return {
      kind: 'bubblewrap',
      reason: `${exe} works (without --disable-userns: ${full.detail})`,
      executable: exe,
      disableUserns: false,
    };
  }
  return none(`${exe} is installed but cannot create a sandbox here: ${basic.detail}`);
}

function none(reason: string): SandboxSupport {
  return { kind: 'none', reason, disableUserns: false };
}

async function findExecutable(name: string, searchPath: string, fallbacks: string[]): Promise<string | null> {
  const candidates = [
    ...searchPath
      .split(delimiter)
      .filter((d) => d !== '')
      .map((d) => join(d, name)),
    ...fallbacks,
  ];
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return null;
}

async function runProbe(exe: string, args: string[]): Promise<{ ok: boolean; detail: string }> {
  await takeForkTurn();
  return new Promise((resolve) => {
    const child = spawn(exe, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: PROBE_TIMEOUT_MS });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    child.on('error', (error) => resolve({ ok: false, detail: error.message }));
    child.on('close', (code, signal) => {
      const detail = stderr.trim() || (signal ? `killed by ${signal}` : `exit status ${code}`);
      resolve({ ok: code === 0, detail });
    });
  });
}
