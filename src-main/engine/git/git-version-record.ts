// The engine checks git's version at every start (git-version.ts), and a one-shot CLI command starts an
// engine: `nocturnal status` spent ~20 ms of its time spawning `git version` (a fifth of the Node
// process that runs the same query). The answer depends only on the git executable, so a passed check
// is recorded in the home together with the file it was made on (path, size, times, inode), and the
// next start asks git again only when PATH now leads to another file or that file changed (an upgrade,
// a new git first on PATH). A failed check is never recorded: an old git is refused on every start.
// A wrapper script that starts some other git is judged by the script's own file.
import fs from 'node:fs';
import path from 'node:path';
import { checkGitVersion } from './git-version';
import type { GitVersionCheck } from './git-version';
import type { GitCallOptions } from './run-git';

interface GitVersionRecord {
  executable: string;
  identity: string;
  version: string;
}

export async function checkGitVersionRecorded(
  cwd: string,
  recordFile: string,
  opts: GitCallOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<GitVersionCheck> {
  const executable = gitOnPath(env);
  const identity = executable === null ? null : fileIdentity(executable);
  if (executable !== null && identity !== null) {
    const recorded = readRecord(recordFile);
    if (recorded?.executable === executable && recorded.identity === identity)
      return { ok: true, version: recorded.version };
  }
  const check = await checkGitVersion(cwd, opts);
  if (check.ok && executable !== null && identity !== null)
    writeRecord(recordFile, { executable, identity, version: check.version });
  return check;
}

/** The file `git` resolves to on PATH, as a spawn finds it (POSIX); null where that is not worked out here. */
export function gitOnPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | null {
  // Windows also tries PATHEXT suffixes and the current folder: leave it to the spawn every time.
  if (platform === 'win32') return null;
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    // An empty or relative entry is looked up from the spawn's working folder, not this process's:
    // leave such a PATH to the spawn every time.
    if (!path.isAbsolute(dir)) return null;
    const candidate = path.join(dir, 'git');
    try {
      if (!fs.statSync(candidate).isFile()) continue;
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here, or not executable: the spawn would look further too.
    }
  }
  return null;
}

/** What changes when the file at `file` (symlinks followed) is replaced or rewritten. */
function fileIdentity(file: string): string | null {
  try {
    const stat = fs.statSync(file, { bigint: true });
    return [stat.dev, stat.ino, stat.size, stat.mtimeNs, stat.ctimeNs].join(':');
  } catch {
    return null;
  }
}

function readRecord(file: string): GitVersionRecord | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const value = JSON.parse(text) as Partial<GitVersionRecord> | null;
    if (
      typeof value?.executable === 'string' &&
      typeof value.identity === 'string' &&
      typeof value.version === 'string'
    )
      return { executable: value.executable, identity: value.identity, version: value.version };
  } catch {
    // A damaged record only means git is asked again (and the record rewritten).
  }
  return null;
}

function writeRecord(file: string, record: GitVersionRecord): void {
  // Written beside and renamed, so a concurrent start reads the old record or the new one, never half.
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, file);
  } catch {
    // A read-only home keeps working: it asks git on every start, as before.
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // Nothing was written there either.
    }
  }
}
