// When a check fails inside the sandbox, the error it prints (EROFS, ECONNREFUSED, "command not
// found") reads like a bug in the code under test. One line naming the sandbox rule it ran into saves
// the user — and the model, which is fed the output — from chasing the wrong cause.
import type { SandboxKind } from './detect-sandbox';

const HIDDEN_PROGRAM =
  'a program or file outside the worktree may be hidden: tools under your home (nvm, ~/.local/bin, ~/.cargo) need their folder in safety.sandbox_read_paths';

const RULES: { test: RegExp; note: string }[] = [
  { test: /^bwrap: .*/m, note: 'bubblewrap could not set the sandbox up' },
  {
    test: /\bEROFS\b|read-only file system/i,
    note: 'the file system is read-only outside the worktree and the private temp folder',
  },
  {
    test: /\bEACCES\b|\bEPERM\b|permission denied|operation not permitted/i,
    note: 'files outside the worktree are read-only and homes are hidden',
  },
  {
    test: /\bENETUNREACH\b|\bECONNREFUSED\b|\bEAI_AGAIN\b|\bENOTFOUND\b|getaddrinfo|could not resolve host|network is unreachable|temporary failure in name resolution|name or service not known/i,
    note: 'the network is off (only the sandbox’s own loopback exists)',
  },
  { test: /command not found|: not found|spawn \S+ ENOENT/i, note: HIDDEN_PROGRAM },
  {
    test: /Cannot fork|fork: retry|fork: Resource temporarily unavailable|spawn \S+ EAGAIN|\bEAGAIN\b.*(fork|spawn)/i,
    note: 'the number of processes and threads a check may run is capped (a fork failed)',
  },
];

export function sandboxHint(
  result: { exitCode: number | null; stderr: string; stdout: string },
  sandbox: SandboxKind,
): string | null {
  if (sandbox === 'none' || result.exitCode === 0) return null;
  const text = `${result.stderr}\n${result.stdout}`;
  const notes = RULES.flatMap(({ test, note }) => {
    const match = test.exec(text);
    if (match === null) return [];
    return note.startsWith('bubblewrap') ? [`${note} (${match[0].trim()})`] : [note];
  });
  // 127 is the shell's "command not found", whatever the program printed.
  if (result.exitCode === 127 && !notes.includes(HIDDEN_PROGRAM)) notes.push(HIDDEN_PROGRAM);
  if (notes.length === 0) return null;
  return `note: ran inside the sandbox (${sandbox}): ${notes.join('; ')}`;
}
