// A file's outline from its syntax tree: the top-level symbols (functions, classes with their methods,
// exported constants, types and interfaces) each with a one-line signature and the lines it spans, and
// the modules it imports. The map shows the signatures; the explore call reads a symbol's lines.
import type { Node } from '@vscode/tree-sitter-wasm';
import type { Grammar } from './languages';
import { grammarFor, parserFor } from './languages';

export type SymbolKind = 'function' | 'class' | 'method' | 'type' | 'const';

export interface CodeSymbol {
  name: string;
  kind: SymbolKind;
  /** The declaration's first line, without its body. */
  signature: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** Methods of a class (empty for everything else). */
  members: CodeSymbol[];
}

export interface FileOutline {
  symbols: CodeSymbol[];
  /** Module specifiers as written (`./queue`, `pkg.mod`, `.util`): resolve-imports turns them into files. */
  imports: string[];
}

const MAX_SIGNATURE = 140;
const MAX_MEMBERS = 24;

const functionTypes = new Set([
  'function_declaration',
  'generator_function_declaration',
  'function_definition',
  'function_item',
  'method',
  'singleton_method',
  'function_signature',
]);
const methodTypes = new Set([
  'method_definition',
  'method_declaration',
  'function_definition',
  'function_item',
  'method',
  'singleton_method',
  'constructor_declaration',
  'method_signature',
  'abstract_method_signature',
]);
const classTypes = new Set([
  'class_declaration',
  'abstract_class_declaration',
  'class_definition',
  'class',
  'module',
  'struct_item',
  'enum_item',
  'trait_item',
  'impl_item',
  'enum_declaration',
  'record_declaration',
  'struct_declaration',
  'class_specifier',
  'struct_specifier',
]);
const typeTypes = new Set(['interface_declaration', 'type_alias_declaration', 'type_declaration', 'type_item']);
const constTypes = new Set([
  'lexical_declaration',
  'variable_declaration',
  'const_declaration',
  'const_item',
  'static_item',
]);
// Containers whose children are top-level in all but name (namespaces, Rust modules, `export …`).
const wrapperTypes = new Set([
  'export_statement',
  'decorated_definition',
  'namespace_declaration',
  'file_scoped_namespace_declaration',
  'declaration_list',
  'mod_item',
  'internal_module',
  'ambient_declaration',
  'template_declaration',
  'linkage_specification',
]);

/** The outline of one file, or null when no grammar reads it (the map then shows its path alone). */
export async function parseSymbols(file: string, source: string): Promise<FileOutline | null> {
  const grammar = grammarFor(file);
  if (grammar === null) return null;
  const parser = await parserFor(grammar);
  const tree = parser.parse(source);
  if (tree === null) return null;
  try {
    const symbols: CodeSymbol[] = [];
    const imports: string[] = [];
    for (const node of tree.rootNode.namedChildren) if (node) collect(node, grammar, symbols, imports, false);
    return { symbols, imports: [...new Set(imports)] };
  } finally {
    tree.delete();
  }
}

function collect(node: Node, grammar: Grammar, symbols: CodeSymbol[], imports: string[], exported: boolean): void {
  const type = node.type;
  importsOf(node, grammar, imports);
  if (wrapperTypes.has(type)) {
    const isExport = type === 'export_statement';
    const body = node.childForFieldName('body');
    const children =
      body && type !== 'export_statement' && type !== 'decorated_definition' ? body.namedChildren : node.namedChildren;
    for (const child of children) if (child) collect(child, grammar, symbols, imports, exported || isExport);
    return;
  }
  if (grammar === 'go' && type === 'type_declaration') {
    for (const spec of node.namedChildren) if (spec?.type === 'type_spec') push(symbols, spec, 'type', node);
    return;
  }
  if (functionTypes.has(type) || (grammar === 'go' && type === 'method_declaration')) {
    push(symbols, node, 'function');
    return;
  }
  if (classTypes.has(type)) {
    const symbol = push(symbols, node, 'class');
    if (symbol) symbol.members = membersOf(node);
    return;
  }
  if (typeTypes.has(type)) {
    push(symbols, node, 'type');
    return;
  }
  // JS/TS constants only when exported (a module's private helpers are noise); Go/Rust ones always.
  if (constTypes.has(type) && (exported || grammar === 'go' || grammar === 'rust')) {
    for (const declarator of node.namedChildren) {
      if (declarator && (declarator.type === 'variable_declarator' || declarator.type === 'const_spec'))
        push(symbols, declarator, 'const', node);
    }
    if (grammar === 'rust') push(symbols, node, 'const');
    return;
  }
  // Python module-level assignments (`DEFAULTS = {...}`, `router = APIRouter()`).
  if (grammar === 'python' && type === 'expression_statement') {
    const assignment = node.namedChildren[0];
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    if (assignment && left?.type === 'identifier') symbols.push(symbolOf(left.text, 'const', assignment, node));
  }
}

function membersOf(node: Node): CodeSymbol[] {
  const body =
    node.childForFieldName('body') ??
    node.namedChildren.find(
      (c) => c?.type === 'class_body' || c?.type === 'declaration_list' || c?.type === 'body_statement',
    ) ??
    null;
  if (!body) return [];
  const members: CodeSymbol[] = [];
  for (const child of body.namedChildren) {
    const member = child?.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
    if (member && methodTypes.has(member.type)) {
      const name = member.childForFieldName('name')?.text;
      if (name) members.push(symbolOf(name, 'method', member, child ?? member));
    }
    if (members.length >= MAX_MEMBERS) break;
  }
  return members;
}

function push(symbols: CodeSymbol[], node: Node, kind: SymbolKind, outer: Node = node): CodeSymbol | null {
  const name = node.childForFieldName('name')?.text ?? node.childForFieldName('type')?.text;
  if (!name) return null;
  const symbol = symbolOf(name, kind, node, outer);
  symbols.push(symbol);
  return symbol;
}

function symbolOf(name: string, kind: SymbolKind, node: Node, outer: Node): CodeSymbol {
  return {
    name,
    kind,
    signature: signatureOf(node),
    startLine: outer.startPosition.row + 1,
    endLine: outer.endPosition.row + 1,
    members: [],
  };
}

/** The declaration up to its body: `function add(a: number, b: number): number`, `class Queue(Base)`. */
function signatureOf(node: Node): string {
  const body = node.childForFieldName('body');
  const head = body ? node.text.slice(0, body.startIndex - node.startIndex) : node.text;
  const oneLine = head
    .replace(/\s+/g, ' ')
    .replace(/[\s:{=]+$/, '')
    .trim();
  // A constant's value is not its signature: keep `const LIMIT = 10` short, cut arrow bodies.
  const arrow = oneLine.indexOf('=>');
  const cut = arrow > 0 ? oneLine.slice(0, arrow + 2) : oneLine;
  return cut.length <= MAX_SIGNATURE ? cut : `${cut.slice(0, MAX_SIGNATURE - 1)}…`;
}

function importsOf(node: Node, grammar: Grammar, imports: string[]): void {
  const type = node.type;
  if (grammar === 'typescript' || grammar === 'tsx' || grammar === 'javascript') {
    const source = node.childForFieldName('source');
    if ((type === 'import_statement' || type === 'export_statement') && source) imports.push(unquote(source.text));
    if (type === 'lexical_declaration' || type === 'variable_declaration' || type === 'expression_statement') {
      for (const call of node.descendantsOfType('call_expression')) {
        const argument = call?.childForFieldName('arguments')?.namedChildren[0];
        if (call?.childForFieldName('function')?.text === 'require' && argument?.type === 'string')
          imports.push(unquote(argument.text));
      }
    }
    return;
  }
  if (grammar === 'python') {
    if (type === 'import_from_statement') {
      const module = node.childForFieldName('module_name');
      if (module) imports.push(module.text);
    } else if (type === 'import_statement') {
      for (const name of node.namedChildren) if (name?.type === 'dotted_name') imports.push(name.text);
    }
    return;
  }
  if (grammar === 'go' && type === 'import_declaration') {
    for (const spec of node.descendantsOfType('import_spec')) {
      const pathNode = spec?.childForFieldName('path');
      if (pathNode) imports.push(unquote(pathNode.text));
    }
  }
}

function unquote(text: string): string {
  return text.replace(/^['"`]|['"`]$/g, '');
}
