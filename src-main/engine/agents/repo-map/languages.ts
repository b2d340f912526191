// Which tree-sitter grammar reads which file, and the parsers themselves, loaded on first use: the
// runtime and each grammar are WebAssembly from `@vscode/tree-sitter-wasm` (maintained, prebuilt), so
// nothing is compiled on the user's machine and nothing is loaded until a session builds a repo map.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Parser as ParserType, Language as LanguageType } from '@vscode/tree-sitter-wasm';

type TreeSitter = { Parser: typeof ParserType; Language: typeof LanguageType };

export type Grammar =
  'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'rust' | 'java' | 'ruby' | 'php' | 'c-sharp' | 'cpp' | 'bash';

const byExtension: Record<string, Grammar> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.py': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
  '.rb': 'ruby',
  '.php': 'php',
  '.cs': 'c-sharp',
  // The C++ grammar reads plain C well enough for top-level functions and structs.
  '.c': 'cpp',
  '.h': 'cpp',
  '.cc': 'cpp',
  '.cpp': 'cpp',
  '.hpp': 'cpp',
  '.sh': 'bash',
  '.bash': 'bash',
};

/** The grammar for a path, or null for a file the map shows by its path alone. */
export function grammarFor(file: string): Grammar | null {
  if (file.endsWith('.d.ts')) return 'typescript';
  return byExtension[path.posix.extname(file).toLowerCase()] ?? null;
}

const require = createRequire(import.meta.url);
let runtime: Promise<TreeSitter> | undefined;
const parsers = new Map<Grammar, Promise<ParserType>>();

/** One parser per grammar for the process: the wasm is loaded once, on the first file that needs it. */
export function parserFor(grammar: Grammar): Promise<ParserType> {
  let parser = parsers.get(grammar);
  if (parser === undefined) {
    parser = loadParser(grammar);
    parsers.set(grammar, parser);
    // A failed load is not remembered: the next map may try again.
    parser.catch(() => parsers.delete(grammar));
  }
  return parser;
}

async function loadParser(grammar: Grammar): Promise<ParserType> {
  runtime ??= (async () => {
    const module = require('@vscode/tree-sitter-wasm') as TreeSitter;
    await module.Parser.init();
    return module;
  })();
  const { Parser, Language } = await runtime;
  const language = await Language.load(require.resolve(`@vscode/tree-sitter-wasm/wasm/tree-sitter-${grammar}.wasm`));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
