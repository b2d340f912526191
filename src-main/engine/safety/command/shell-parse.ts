// A POSIX-shell reader just deep enough for the command policy to see every command a string would
// run: lists (`;` `&&` `||` `&` newlines), pipelines, groupings, quotes (incl. $'…'), comments,
// redirections, heredocs, and command substitutions ($(…), backticks, <(…), >(…)) parsed
// recursively. Expansions are not performed: `$HOME` stays the text `$HOME`, which is what the deny
// rules look for. Anything it cannot read is an error, and the policy refuses what it cannot read.

export interface Redirect {
  op: string;
  target: string;
}

export interface SimpleCommand {
  /** Words after quote removal; leading shell keywords (if, then, do, !, {, …) dropped. */
  argv: string[];
  redirects: Redirect[];
  /** Scripts inside this command's words and redirections: $(…), `…`, <(…), >(…). */
  substitutions: Script[];
  /** Bodies of heredocs feeding this command's stdin. */
  heredocs: string[];
}

export interface Pipeline {
  commands: SimpleCommand[];
}

export interface Script {
  source: string;
  pipelines: Pipeline[];
}

export class ShellParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellParseError';
  }
}

const MAX_DEPTH = 16;
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time', 'function']);

export function parseShell(source: string, depth = 0): Script {
  if (depth > MAX_DEPTH) throw new ShellParseError('commands are nested too deeply to be checked');
  const parser = new Parser(source, depth);
  const pipelines = parser.parseList(null);
  return { source, pipelines };
}

class Parser {
  private pos = 0;
  private pipelines: Pipeline[] = [];
  private commands: SimpleCommand[] = [];
  private command: SimpleCommand = emptyCommand();
  private word = '';
  private wordStarted = false;
  private pendingRedirect: string | null = null;
  private pendingHeredocs: { delimiter: string; stripTabs: boolean; command: SimpleCommand }[] = [];

  constructor(
    private readonly src: string,
    private readonly depth: number,
  ) {}

  /** Reads until the end, or until an unmatched `)` when `stop` is ')'; returns the pipelines. */
  parseList(stop: ')' | null): Pipeline[] {
    let groups = 0;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos] as string;
      const next = this.src[this.pos + 1];
      if (c === ' ' || c === '\t') {
        this.endWord();
        this.pos++;
      } else if (c === '\n') {
        this.endPipeline();
        this.pos++;
        this.readHeredocBodies();
      } else if (c === '#' && !this.wordStarted) {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      } else if (c === '\\') {
        if (next === '\n') this.pos += 2;
        else if (next === undefined) throw new ShellParseError('the command ends with a lone backslash');
        else {
          this.append(next);
          this.pos += 2;
        }
      } else if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellParseError('unterminated single quote');
        this.append(this.src.slice(this.pos + 1, end));
        this.pos = end + 1;
      } else if (c === '"') {
        this.readDoubleQuoted();
      } else if (c === '$') {
        this.readDollar(false);
      } else if (c === '`') {
        this.append(this.readBackticks());
      } else if (c === ';' || c === '&' || c === '|') {
        this.readControlOperator(c, next);
      } else if ((c === '<' || c === '>') && next === '(') {
        this.append(this.readSubstitution(this.pos + 1, `${c}(`));
      } else if (c === '<' || c === '>') {
        this.readRedirect();
      } else if (c === '(') {
        this.endCommand();
        groups++;
        this.pos++;
      } else if (c === ')') {
        if (groups > 0) {
          this.endCommand();
          groups--;
          this.pos++;
        } else if (stop === ')') {
          this.endPipeline();
          return this.pipelines;
        } else throw new ShellParseError("unbalanced ')'");
      } else {
        this.append(c);
        this.pos++;
      }
    }
    if (stop === ')') throw new ShellParseError("unterminated '$(' or '('");
    if (this.pendingHeredocs.length > 0) this.readHeredocBodies();
    this.endPipeline();
    return this.pipelines;
  }

  /** Position after parsing; used by a parent parser to continue after a substitution. */
  get position(): number {
    return this.pos;
  }

  set position(value: number) {
    this.pos = value;
  }

  private append(text: string): void {
    this.word += text;
    this.wordStarted = true;
  }

  private endWord(): void {
    if (!this.wordStarted) return;
    const word = this.word;
    this.word = '';
    this.wordStarted = false;
    if (this.pendingRedirect !== null) {
      const op = this.pendingRedirect;
      this.pendingRedirect = null;
      this.command.redirects.push({ op, target: word });
      if (op === '<<' || op === '<<-') {
        this.pendingHeredocs.push({ delimiter: word, stripTabs: op === '<<-', command: this.command });
      }
      return;
    }
    if (this.command.argv.length === 0 && KEYWORDS.has(word)) return;
    this.command.argv.push(word);
  }

  private endCommand(): void {
    this.endWord();
    if (this.pendingRedirect !== null) throw new ShellParseError(`redirection '${this.pendingRedirect}' has no target`);
    const c = this.command;
    if (c.argv.length > 0 || c.redirects.length > 0 || c.substitutions.length > 0) this.commands.push(c);
    this.command = emptyCommand();
  }

  private endPipeline(): void {
    this.endCommand();
    if (this.commands.length > 0) this.pipelines.push({ commands: this.commands });
    this.commands = [];
  }

  private readControlOperator(c: string, next: string | undefined): void {
    if (c === '|' && next === '|') {
      this.endPipeline();
      this.pos += 2;
    } else if (c === '|') {
      this.endCommand();
      this.pos += next === '&' ? 2 : 1;
    } else if (c === '&' && next === '&') {
      this.endPipeline();
      this.pos += 2;
    } else if (c === '&' && next === '>') {
      this.endWord();
      this.pos += this.src[this.pos + 2] === '>' ? 3 : 2;
      this.pendingRedirect = '&>';
    } else {
      this.endPipeline();
      this.pos += c === ';' && (next === ';' || next === '&') ? 2 : 1;
    }
  }

  private readRedirect(): void {
    // A word made only of digits right before the operator is a file descriptor, not an argument.
    if (this.wordStarted && /^\d+$/.test(this.word)) {
      this.word = '';
      this.wordStarted = false;
    } else this.endWord();
    const match = /^(<<<|<<-|<<|<>|<&|>>|>&|>\||<|>)/.exec(this.src.slice(this.pos));
    const op = match?.[1] ?? '>';
    this.pos += op.length;
    this.pendingRedirect = op;
  }

  private readDoubleQuoted(): void {
    this.pos++;
    let text = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos] as string;
      if (c === '"') {
        this.pos++;
        this.append(text);
        return;
      }
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === '\n') this.pos += 2;
        else if (next !== undefined && '$`"\\'.includes(next)) {
          text += next;
          this.pos += 2;
        } else {
          text += c;
          this.pos++;
        }
      } else if (c === '$') {
        this.append(text);
        text = '';
        this.readDollar(true);
      } else if (c === '`') {
        text += this.readBackticks();
      } else {
        text += c;
        this.pos++;
      }
    }
    throw new ShellParseError('unterminated double quote');
  }

  private readDollar(inDoubleQuotes: boolean): void {
    const rest = this.src.slice(this.pos);
    if (rest.startsWith('$((')) {
      // Arithmetic: numbers and names, not commands; kept as text.
      const end = matchingClose(this.src, this.pos + 2, '(', ')');
      const close = this.src.indexOf(')', end + 1) === end + 1 ? end + 2 : end + 1;
      this.append(this.src.slice(this.pos, close));
      this.pos = close;
    } else if (rest.startsWith('$(')) {
      this.append(this.readSubstitution(this.pos + 1, '$('));
    } else if (rest.startsWith('${')) {
      const end = matchingClose(this.src, this.pos + 1, '{', '}');
      this.append(this.src.slice(this.pos, end + 1));
      this.pos = end + 1;
    } else if (rest.startsWith("$'") && !inDoubleQuotes) {
      const end = findAnsiQuoteEnd(this.src, this.pos + 2);
      this.append(decodeAnsiC(this.src.slice(this.pos + 2, end)));
      this.pos = end + 1;
    } else {
      this.append('$');
      this.pos++;
    }
  }

  /** `open` is the position of the '(' of `$(`, `<(` or `>(`; returns the substitution's text. */
  private readSubstitution(open: number, prefix: string): string {
    const inner = new Parser(this.src, this.depth + 1);
    if (this.depth + 1 > MAX_DEPTH) throw new ShellParseError('commands are nested too deeply to be checked');
    inner.position = open + 1;
    const pipelines = inner.parseList(')');
    const close = inner.position;
    const source = this.src.slice(open + 1, close);
    this.command.substitutions.push({ source, pipelines });
    this.pos = close + 1;
    return `${prefix}${source})`;
  }

  private readBackticks(): string {
    let i = this.pos + 1;
    let inner = '';
    while (i < this.src.length && this.src[i] !== '`') {
      if (this.src[i] === '\\' && i + 1 < this.src.length && '`\\$'.includes(this.src[i + 1] as string)) {
        inner += this.src[i + 1];
        i += 2;
      } else {
        inner += this.src[i];
        i++;
      }
    }
    if (i >= this.src.length) throw new ShellParseError('unterminated backtick');
    this.command.substitutions.push(parseShell(inner, this.depth + 1));
    const raw = this.src.slice(this.pos, i + 1);
    this.pos = i + 1;
    return raw;
  }

  /** After a newline: the bodies of the heredocs opened on the line just ended. */
  private readHeredocBodies(): void {
    for (const heredoc of this.pendingHeredocs) {
      const delimiter = heredoc.delimiter;
      const lines: string[] = [];
      for (;;) {
        if (this.pos >= this.src.length) break;
        const eol = this.src.indexOf('\n', this.pos);
        const end = eol < 0 ? this.src.length : eol;
        let line = this.src.slice(this.pos, end);
        this.pos = eol < 0 ? end : end + 1;
        if (heredoc.stripTabs) line = line.replace(/^\t+/, '');
        if (line === delimiter) break;
        lines.push(line);
      }
      heredoc.command.heredocs.push(lines.join('\n'));
    }
    this.pendingHeredocs = [];
  }
}

function emptyCommand(): SimpleCommand {
  return { argv: [], redirects: [], substitutions: [], heredocs: [] };
}

/** Index of the bracket closing the one at `open`, skipping quoted text. */
function matchingClose(src: string, open: number, openCh: string, closeCh: string): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) break;
      i = end;
    } else if (c === openCh) depth++;
    else if (c === closeCh && --depth === 0) return i;
  }
  throw new ShellParseError(`unterminated '${openCh}'`);
}

function findAnsiQuoteEnd(src: string, from: number): number {
  for (let i = from; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === "'") return i;
  }
  throw new ShellParseError("unterminated $'…' quote");
}

/** Decodes bash's $'…' escapes, so `$'\x72m'` is seen as `rm`. */
function decodeAnsiC(text: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
  return text.replace(/\\(x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|[0-7]{1,3}|c.|.)/g, (all, esc: string) => {
    const head = esc[0] as string;
    if (head === 'x' || head === 'u' || head === 'U') return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (/[0-7]/.test(head)) return String.fromCharCode(parseInt(esc, 8));
    if (head === 'c') return String.fromCharCode((esc.charCodeAt(1) ?? 0) & 31);
    return simple[head] ?? all;
  });
}
