// `safety.blocked_commands`: the user's own additions to the deny list. Two forms:
//   - words, e.g. "npm publish" or "docker *": refuses any command (at any wrapper depth, inside
//     `sh -c`, after `;` …) whose leading words are these; `*` and `?` are wildcards within a word,
//     and the first word matches by basename, so "rm" also catches `/bin/rm`;
//   - "/regex/flags", e.g. "/terraform\s+destroy/i": tested against each script's raw text and each
//     command line.
import { ShellParseError, parseShell } from './shell-parse';
import { commandName, stripAssignments } from './unwrap';

export interface ExtraDeniedPattern {
  raw: string;
  matchesText(source: string): boolean;
  matchesArgv(argv: readonly string[]): boolean;
}

export function compileExtraDenied(patterns: readonly string[]): ExtraDeniedPattern[] {
  return patterns.map(compileOne);
}

function compileOne(raw: string): ExtraDeniedPattern {
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(raw);
  if (regex !== null) {
    try {
      const re = new RegExp(regex[1] as string, (regex[2] as string).replace(/[gy]/g, ''));
      return { raw, matchesText: (s) => re.test(s), matchesArgv: (argv) => re.test(argv.join(' ')) };
    } catch {
      // Not a valid regular expression: fall through and treat it as words.
    }
  }
  const words = patternWords(raw);
  if (words.length === 0) {
    const needle = raw.toLowerCase();
    return { raw, matchesText: (s) => s.toLowerCase().includes(needle), matchesArgv: () => false };
  }
  const matchers = words.map(wordMatcher);
  return {
    raw,
    matchesText: () => false,
    matchesArgv: (argv) => {
      if (argv.length < matchers.length) return false;
      return matchers.every((m, i) => {
        const word = argv[i] as string;
        return m(word) || (i === 0 && m(commandName(word)));
      });
    },
  };
}

function patternWords(raw: string): string[] {
  try {
    const first = parseShell(raw).pipelines[0]?.commands[0];
    return first ? stripAssignments(first.argv) : [];
  } catch (error) {
    if (error instanceof ShellParseError) return [];
    throw error;
  }
}

function wordMatcher(word: string): (candidate: string) => boolean {
  if (!/[*?]/.test(word)) return (candidate) => candidate === word;
  const source = word
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  const re = new RegExp(`^${source}$`, 's');
  return (candidate) => re.test(candidate);
}
