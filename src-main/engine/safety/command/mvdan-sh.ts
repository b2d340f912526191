// The shell parser: mvdan/sh (the parser behind shfmt), compiled to JavaScript as the `mvdan-sh`
// package. It is synchronous, ships as one file and downloads nothing at run time. Its nodes are
// GopherJS objects: fields are own properties, `syntax.NodeType` names a node, positions are objects
// with an `Offset()` method. Loaded with `require` because the package assigns its exports at run
// time, which ESM named imports cannot see.
import { createRequire } from 'node:module';

export interface ShPos {
  Offset(): number;
}

export interface ShNode {
  Pos(): ShPos;
  End(): ShPos;
  readonly [field: string]: unknown;
}

export interface ShParser {
  Parse(source: string, name: string): ShNode;
}

interface MvdanSyntax {
  NewParser(): ShParser;
  NodeType(node: unknown): string;
}

let loaded: MvdanSyntax | undefined;

function syntax(): MvdanSyntax {
  if (loaded === undefined) {
    // The GopherJS runtime sets Error.stackTraceLimit to Infinity and a global `require` as it loads;
    // both are put back so that loading the parser changes nothing else in the process.
    const stackTraceLimit = Error.stackTraceLimit;
    const hadRequire = Object.prototype.hasOwnProperty.call(globalThis, 'require');
    const globalRequire: unknown = (globalThis as { require?: unknown }).require;
    try {
      loaded = (createRequire(import.meta.url)('mvdan-sh') as { syntax: MvdanSyntax }).syntax;
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
      if (hadRequire) (globalThis as { require?: unknown }).require = globalRequire;
      else delete (globalThis as { require?: unknown }).require;
    }
  }
  return loaded;
}

export function newShellParser(): ShParser {
  return syntax().NewParser();
}

/** The node's type name (`CallExpr`, `CmdSubst`, …), or null for what is not a node (a position). */
export function nodeType(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || typeof (value as Partial<ShNode>).Pos !== 'function') return null;
  try {
    return syntax().NodeType(value);
  } catch {
    return null;
  }
}

/** The fields of a node that may hold other nodes: every own property but functions and internals. */
export function childValues(node: ShNode): unknown[] {
  const values: unknown[] = [];
  for (const key of Object.getOwnPropertyNames(node)) {
    if (key === '__internal_object__' || key === '$type') continue;
    const value = node[key];
    if (value !== null && typeof value === 'object') values.push(value);
  }
  return values;
}

/** The parser's message (`1:6: reached EOF without closing quote "`) from what it threw. */
export function parseErrorMessage(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const describe = (error as { Error?: unknown }).Error;
    if (typeof describe === 'function') return String(describe.call(error));
    if (error instanceof Error && error.message) return error.message;
  }
  return 'the shell parser rejected it';
}
