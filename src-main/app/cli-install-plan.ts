// "Install command line tool…" (macOS and Windows; the .deb links /usr/bin/nocturnal itself): where the
// `nocturnal` command goes and what the user is told, decided from facts gathered beforehand, so that
// every rule is tested without Electron or the file system. install-cli.ts gathers and acts.
//   macOS    a link /usr/local/bin/nocturnal → <Resources>/bin/nocturnal, or ~/.local/bin when
//            /usr/local/bin cannot be written (as editors do for `code`, `subl`);
//   Windows  a one-line nocturnal.cmd in %LOCALAPPDATA%\Microsoft\WindowsApps, a folder Windows keeps
//            on every user's PATH, calling <resources>\bin\nocturnal.cmd (no PATH edit, no admin).
import path from 'node:path';

export interface CliInstallFacts {
  platform: NodeJS.Platform;
  /** process.resourcesPath of the packaged app. */
  resourcesPath: string;
  homeDir: string;
  /** %LOCALAPPDATA% (Windows); null where unset. */
  localAppData: string | null;
  /** The PATH the app sees, split. */
  pathEntries: readonly string[];
  /** Folders among the candidates that exist and can be written. */
  writableDirs: readonly string[];
  /** What is at each candidate target now: a link (its target) or a file (its text); absent: nothing. */
  existing: Readonly<Record<string, { linkTarget: string } | { content: string }>>;
}

export type CliInstallPlan =
  | { action: 'link'; target: string; source: string; message: string }
  | { action: 'write'; target: string; content: string; message: string }
  | { action: 'none'; target: string; message: string }
  | { action: 'refuse'; target: string | null; message: string };

export function planCliInstall(facts: CliInstallFacts): CliInstallPlan {
  if (facts.platform === 'win32') return planWindows(facts);
  if (facts.platform === 'darwin' || facts.platform === 'linux') return planPosix(facts);
  return {
    action: 'refuse',
    target: null,
    message: `Installing the command line tool is not supported on ${facts.platform}.`,
  };
}

function planPosix(facts: CliInstallFacts): CliInstallPlan {
  const source = path.posix.join(facts.resourcesPath, 'bin', 'nocturnal');
  const userBin = path.posix.join(facts.homeDir, '.local', 'bin');
  // ~/.local/bin is created when missing; /usr/local/bin only used as it is.
  const dir = facts.writableDirs.includes('/usr/local/bin') ? '/usr/local/bin' : userBin;
  const target = path.posix.join(dir, 'nocturnal');
  const present = facts.existing[target];
  if (present && 'linkTarget' in present && present.linkTarget === source) {
    return {
      action: 'none',
      target,
      message: `The \`nocturnal\` command is already installed: ${target} → ${source}.${pathHint(facts, dir)}`,
    };
  }
  if (
    present &&
    !(
      'linkTarget' in present &&
      /[\\/]bin[\\/]nocturnal$/.test(present.linkTarget) &&
      /Nocturnal Agent|nocturnal-agent/i.test(present.linkTarget)
    )
  ) {
    const what = 'linkTarget' in present ? `a link to ${present.linkTarget}` : 'a file';
    return {
      action: 'refuse',
      target,
      message: `${target} is ${what}, not this app's command: nothing was changed. Remove it and choose "Install command line tool…" again, or run ${source} directly.`,
    };
  }
  // Nothing there, or the link of an earlier copy of the app (moved, renamed): point it here.
  return {
    action: 'link',
    target,
    source,
    message: `Installed the \`nocturnal\` command: ${target} → ${source}. Open a new terminal and run \`nocturnal --help\`.${pathHint(facts, dir)}`,
  };
}

function planWindows(facts: CliInstallFacts): CliInstallPlan {
  const source = path.win32.join(facts.resourcesPath, 'bin', 'nocturnal.cmd');
  if (facts.localAppData === null) {
    return {
      action: 'refuse',
      target: null,
      message: `%LOCALAPPDATA% is not set, so there is no folder on the PATH to put \`nocturnal\` in. Run ${source} directly, or add ${path.win32.dirname(source)} to your PATH.`,
    };
  }
  const dir = path.win32.join(facts.localAppData, 'Microsoft', 'WindowsApps');
  const target = path.win32.join(dir, 'nocturnal.cmd');
  const content = `@"${source}" %*\r\n`;
  const present = facts.existing[target];
  if (present && 'content' in present && present.content === content) {
    return {
      action: 'none',
      target,
      message: `The \`nocturnal\` command is already installed: ${target} runs ${source}.${pathHint(facts, dir)}`,
    };
  }
  if (present && !('content' in present && /nocturnal\.cmd" %\*/.test(present.content))) {
    return {
      action: 'refuse',
      target,
      message: `${target} exists and is not this app's command: nothing was changed. Remove it and choose "Install command line tool…" again, or run ${source} directly.`,
    };
  }
  return {
    action: 'write',
    target,
    content,
    message: `Installed the \`nocturnal\` command: ${target} runs ${source}. Open a new terminal and run \`nocturnal --help\`.${pathHint(facts, dir)}`,
  };
}

/** A sentence on how to put `dir` on the PATH, or nothing when it is there already. */
function pathHint(facts: CliInstallFacts, dir: string): string {
  const windows = facts.platform === 'win32';
  const same = (entry: string) =>
    windows ? entry.replace(/[\\/]+$/, '').toLowerCase() === dir.toLowerCase() : entry.replace(/\/+$/, '') === dir;
  if (facts.pathEntries.some(same)) return '';
  return windows
    ? ` ${dir} is not on your PATH: add it in Settings → System → About → Advanced system settings → Environment Variables.`
    : ` ${dir} is not on your PATH: add \`export PATH="${dir}:$PATH"\` to your shell profile (~/.zprofile, ~/.bashrc).`;
}
