// What a shell string would run, read by a real shell parser (mvdan/sh, see ./mvdan-sh) and flattened
// into the shape the command policy judges: lists and pipelines of simple commands, each with its
// redirections, heredoc bodies and every script nested anywhere in its words. The syntax tree is
// walked field by field, not through a list of known places, so a command substitution hidden in a
// parameter default (`${X:-$(rm -rf ~)}`), an arithmetic expansion (`$(( $(…) ))`), an array index,
// a slice, a pattern replacement, a process substitution, a heredoc or an assignment is found like
// one in plain sight. Expansions are not performed: `$HOME` stays the text `$HOME`, which is what the
// deny rules look for. Anything the parser rejects is an error, and the policy refuses what it cannot
// read.
import { childValues, newShellParser, nodeType, parseErrorMessage } from './mvdan-sh';
import type { ShNode, ShPos } from './mvdan-sh';

export interface Redirect {
  op: string;
  target: string;
}

export interface SimpleCommand {
  /** Words after quote removal (assignments first, as `NAME=value`); empty for a compound command. */
  argv: string[];
  redirects: Redirect[];
  /** Scripts nested anywhere in this command's words, assignments and redirections: $(…), `…`, <(…), >(…). */
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
// A bound on the walk itself, so a pathological string cannot make the policy spin.
const MAX_NODES = 100_000;

export function parseShell(source: string, depth = 0): Script {
  if (depth > MAX_DEPTH) throw new ShellParseError('commands are nested too deeply to be checked');
  if (source.includes('\0')) throw new ShellParseError('the command contains a NUL character');
  let file: ShNode;
  try {
    file = newShellParser().Parse(source, '');
  } catch (error) {
    throw new ShellParseError(parseErrorMessage(error));
  }
  return new Reader(source, depth).script(asNodes(file['Stmts']), source);
}

class Reader {
  private nodes = 0;

  constructor(
    private readonly src: string,
    private readonly depth: number,
  ) {}

  script(stmts: readonly ShNode[], source: string): Script {
    const pipelines: Pipeline[] = [];
    for (const stmt of stmts) pipelines.push(...this.stmt(stmt));
    return { source, pipelines };
  }

  /** One statement: a simple command, a pipeline or list of them, or a compound command. */
  private stmt(stmt: ShNode): Pipeline[] {
    this.count();
    const cmd = stmt['Cmd'];
    const redirs = asNodes(stmt['Redirs']);
    const type = nodeType(cmd);
    if (type === null) return [{ commands: [this.command([], redirs, [])] }];
    const node = cmd as ShNode;
    if (type === 'BinaryCmd') {
      const left = this.stmt(node['X'] as ShNode);
      const right = this.stmt(node['Y'] as ShNode);
      const outer = redirs.length > 0 ? [{ commands: [this.command([], redirs, [])] }] : [];
      const op = this.src.slice((node['OpPos'] as ShPos).Offset()).slice(0, 2);
      if (op.startsWith('|') && op !== '||' && left.length === 1 && right.length === 1) {
        return [{ commands: [...(left[0]?.commands ?? []), ...(right[0]?.commands ?? [])] }, ...outer];
      }
      return [...left, ...right, ...outer];
    }
    if (type === 'CallExpr') {
      const assigns = asNodes(node['Assigns']);
      const args = asNodes(node['Args']);
      const argv = [...assigns.map((a) => this.assignText(a)), ...args.map((w) => this.wordText(w))];
      return [{ commands: [this.command(argv, redirs, [...assigns, ...args])] }];
    }
    if (type === 'DeclClause') {
      // declare/local/export/readonly/typeset: the keyword, then its assignments and words.
      const variant = node['Variant'] as ShNode | null;
      const argv = [
        variant ? String(variant['Value']) : 'declare',
        ...asNodes(node['Args']).map((a) => this.assignText(a)),
      ];
      return [{ commands: [this.command(argv, redirs, asNodes(node['Args']))] }];
    }
    // A compound command (if, while, for, case, subshell, group, function, [[ ]], (( )), let, time,
    // coproc …): its statements are judged as statements, and every word outside them (a `for` list, a
    // `case` subject, a test, an arithmetic command) is searched for nested scripts through a
    // command with no words of its own, which carries the compound's redirections too.
    const inner: Pipeline[] = [];
    const holder = this.command([], redirs, []);
    this.collect(node, holder, inner);
    return [{ commands: [holder] }, ...inner];
  }

  /** A simple command from its words, its statement's redirections and the nodes to search. */
  private command(argv: string[], redirs: readonly ShNode[], searched: readonly ShNode[]): SimpleCommand {
    const command: SimpleCommand = { argv, redirects: [], substitutions: [], heredocs: [] };
    for (const redirect of redirs) {
      const word = redirect['Word'] as ShNode | null;
      const hdoc = redirect['Hdoc'] as ShNode | null;
      const opStart = (redirect['OpPos'] as ShPos).Offset();
      const opEnd = word ? word.Pos().Offset() : redirect.End().Offset();
      command.redirects.push({ op: this.src.slice(opStart, opEnd).trim(), target: word ? this.wordText(word) : '' });
      if (word) this.collect(word, command, null);
      if (hdoc) {
        // The body runs to the end of its last part; the parser's end positions for a heredoc and its
        // last literal lie past the closing delimiter, so a literal is measured by its text.
        const last = asNodes(hdoc['Parts']).at(-1);
        const end =
          last === undefined
            ? hdoc.Pos().Offset()
            : nodeType(last) === 'Lit'
              ? last.Pos().Offset() + String(last['Value']).length
              : last.End().Offset();
        command.heredocs.push(this.src.slice(hdoc.Pos().Offset(), end).replace(/\n\t*$/, ''));
        this.collect(hdoc, command, null);
      }
    }
    for (const node of searched) this.collect(node, command, null);
    return command;
  }

  /**
   * Every script under `node`: command and process substitutions become `into`'s substitutions;
   * statements (inside compound commands, when `statements` is given) are read as statements.
   */
  private collect(node: ShNode, into: SimpleCommand, statements: Pipeline[] | null): void {
    for (const value of childValues(node)) {
      for (const child of Array.isArray(value) ? (value as unknown[]) : [value]) {
        if (isPosition(child)) continue;
        this.count();
        const type = nodeType(child);
        if (type === null) {
          // Not a node but a struct that holds nodes: a parameter expansion's `:-` default, slice or
          // replacement, a case item's patterns. Searched like a node.
          if (child !== null && typeof child === 'object') this.collect(child as ShNode, into, statements);
          continue;
        }
        const childNode = child as ShNode;
        if (type === 'CmdSubst' || type === 'ProcSubst') {
          into.substitutions.push(this.nested(childNode));
        } else if (type === 'Stmt') {
          if (statements !== null) statements.push(...this.stmt(childNode));
          else into.substitutions.push(new Reader(this.src, this.depth).script([childNode], this.slice(childNode)));
        } else {
          this.collect(childNode, into, statements);
        }
      }
    }
  }

  /** The script inside `$(…)`, `` `…` ``, `<(…)` or `>(…)`, read one level deeper. */
  private nested(subst: ShNode): Script {
    if (this.depth + 1 > MAX_DEPTH) throw new ShellParseError('commands are nested too deeply to be checked');
    const stmts = asNodes(subst['Stmts']);
    const first = stmts[0];
    const last = stmts[stmts.length - 1];
    const source = first && last ? this.src.slice(first.Pos().Offset(), last.End().Offset()) : '';
    return new Reader(this.src, this.depth + 1).script(stmts, source);
  }

  private assignText(assign: ShNode): string {
    const name = assign['Name'] as ShNode | null;
    const value = assign['Value'] as ShNode | null;
    if (!name || assign['Array'] || assign['Index'] || assign['Naked']) return this.slice(assign);
    return `${String(name['Value'])}${assign['Append'] ? '+=' : '='}${value ? this.wordText(value) : ''}`;
  }

  /** A word after quote removal; expansions stay as written (`$HOME`, `$(pwd)`). */
  private wordText(word: ShNode): string {
    return asNodes(word['Parts'])
      .map((part) => this.partText(part, false))
      .join('');
  }

  private partText(part: ShNode, inDoubleQuotes: boolean): string {
    switch (nodeType(part)) {
      case 'Lit':
        return unescapeLiteral(String(part['Value']), inDoubleQuotes);
      case 'SglQuoted':
        return part['Dollar'] ? decodeAnsiC(String(part['Value'])) : String(part['Value']);
      case 'DblQuoted':
        return asNodes(part['Parts'])
          .map((p) => this.partText(p, true))
          .join('');
      default:
        return this.slice(part);
    }
  }

  private slice(node: ShNode): string {
    return this.src.slice(node.Pos().Offset(), node.End().Offset());
  }

  private count(): void {
    if (++this.nodes > MAX_NODES) throw new ShellParseError('the command is too large to be checked');
  }
}

function isPosition(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as { Offset?: unknown }).Offset === 'function';
}

function asNodes(value: unknown): ShNode[] {
  return Array.isArray(value) ? (value as unknown[]).filter((v): v is ShNode => nodeType(v) !== null) : [];
}

/** Backslash escapes as the shell removes them: all of them outside quotes, only \$ \` \" \\ inside. */
function unescapeLiteral(value: string, inDoubleQuotes: boolean): string {
  const withoutContinuations = value.replace(/\\\n/g, '');
  return inDoubleQuotes
    ? withoutContinuations.replace(/\\([$`"\\])/g, '$1')
    : withoutContinuations.replace(/\\(.)/gs, '$1');
}

/** The body of a `$'…'` string with its C escapes decoded. */
function decodeAnsiC(body: string): string {
  const simple: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    a: '\x07',
    b: '\b',
    e: '\x1b',
    E: '\x1b',
    f: '\f',
    v: '\v',
    '\\': '\\',
    "'": "'",
    '"': '"',
    '?': '?',
  };
  return body.replace(
    /\\(x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|[0-7]{1,3}|c.|.)/gs,
    (whole, esc: string) => {
      const head = esc[0] as string;
      if (head === 'x' || head === 'u' || head === 'U') return String.fromCodePoint(parseInt(esc.slice(1), 16));
      if (/[0-7]/.test(head)) return String.fromCharCode(parseInt(esc, 8));
      if (head === 'c') return String.fromCharCode(esc.charCodeAt(1) & 0x1f);
      return simple[head] ?? whole;
    },
  );
}
