// What a model needs from a failing check, not the whole log: the first failing assertion with the
// lines around it, the stack frames that point into the repository (framework and runtime frames are
// noise to it), and the end of the output where runners print their summary. Paths inside the
// worktree are shown repo-relative, as the model knows them.

// Where runners put the failure: an error line, a FAIL/✗/not-ok marker, pytest's `E   ` lines, a panic.
// (\u2717 \u2715 \u00d7 are ✗ ✕ ×: the bundled CLI is kept ASCII, scripts/build-cli.ts.)
const ASSERTION =
  /^\s*([A-Za-z]*Error\b|FAIL\b|\u2717|\u2715|\u00d7|not ok\b|E {2,}|thread '.*' panicked|Traceback|assert)/;
const LOOSE_ASSERTION = /expected|assert/i;
const FRAME = /^\s*(at\s|File "|\S+\.(js|ts|mjs|cjs|jsx|tsx|py|go|rs|rb|java):\d+)/;
const OUTSIDE_REPO = /node_modules|node:internal|\(node:|\bnode:\w|site-packages|\/usr\/lib|\/rustc\//;
const MAX_FRAMES = 8;
const TAIL_LINES = 15;

export interface FailureDigest {
  assertion: string | null;
  frames: string[];
  tail: string;
}

export function digestFailure(output: string, worktree: string): FailureDigest {
  const relative = worktree.endsWith('/') ? worktree : `${worktree}/`;
  const lines = output.split(relative).join('').split('\n');
  let first = lines.findIndex((l) => ASSERTION.test(l));
  if (first === -1) first = lines.findIndex((l) => LOOSE_ASSERTION.test(l));
  const assertion =
    first === -1
      ? null
      : lines
          .slice(first, first + 6)
          .filter((l) => !(FRAME.test(l) && OUTSIDE_REPO.test(l)))
          .join('\n')
          .trimEnd();
  const frames = lines.filter((l) => FRAME.test(l) && !OUTSIDE_REPO.test(l)).map((l) => l.trim());
  const uniqueFrames = [...new Set(frames)].slice(0, MAX_FRAMES);
  const tail = lines
    .filter((l) => !(FRAME.test(l) && OUTSIDE_REPO.test(l)))
    .slice(-TAIL_LINES)
    .join('\n')
    .trim();
  return { assertion, frames: uniqueFrames, tail };
}

export function renderFailureDigest(digest: FailureDigest): string {
  const parts: string[] = [];
  if (digest.assertion) parts.push(`First failure:\n${digest.assertion}`);
  if (digest.frames.length > 0) parts.push(`Stack frames in the repository:\n${digest.frames.join('\n')}`);
  if (digest.tail && !(digest.assertion ?? '').includes(digest.tail)) parts.push(`End of the output:\n${digest.tail}`);
  return parts.join('\n\n');
}
