// Flat ESLint config. The layer rules of DESIGN §3 live here so that they are enforced by the
// linter rather than by memory; `tooling/layer-rules.test.ts` proves that each rule bites.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import prettierConfig from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const noElectron = { name: 'electron', message: 'Only src-main/app may import electron (DESIGN §3).' };
const noExportDefault = { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' };
// Push events reach windows only through the IPC adapter, which validates them against the contract.
const rawSendMessage =
  'Send events through the IPC adapter (src-main/app/ipc-adapter.ts publish), never with raw webContents.send.';
const noRawSend = [
  {
    selector: "CallExpression[callee.property.name='send'][callee.object.property.name='webContents']",
    message: rawSendMessage,
  },
  {
    selector: "CallExpression[callee.property.name='send'][callee.object.name='webContents']",
    message: rawSendMessage,
  },
];
const rawIpcMessage =
  'Raw Electron IPC lives only in src-main/app/ipc-adapter.ts (and the preload bridge): answer channels through the typed API.';

const noNode = nodeBuiltins.map((name) => ({ name, message: 'This layer must not use Node built-ins (DESIGN §3).' }));

const mainSideFiles = [
  'src-main/engine/**/*.ts',
  'src-main/cli/**/*.ts',
  'src-main/server/**/*.ts',
  'src-main/host/**/*.ts',
  'scripts/**/*.ts',
  'bench/**/*.ts',
];
const mainSidePatterns = [
  {
    regex: '(^|/)src-main/app(/|$)|(^|/)\\.\\./app(/|$)',
    message: 'The engine, host, CLI and server never depend on the Electron glue.',
  },
  { regex: '(^|/)src-renderer(/|$)', message: 'Main-side code never imports the renderer.' },
];
const onlyRunGitUsesSimpleGit = {
  name: 'simple-git',
  message:
    'git runs only through runGit (src-main/engine/git/run-git.ts), where the command policy and the safety settings apply.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'release/',
      'test-results/',
      'playwright-report/',
      '.fixtures/',
      '.tmp/',
      '.scratch/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-syntax': ['error', noExportDefault, ...noRawSend],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.config.{js,ts}', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The adapter is the one place that sends to windows.
    files: ['src-main/app/ipc-adapter.ts'],
    rules: { 'no-restricted-syntax': ['error', noExportDefault] },
  },
  {
    files: ['src-main/app/**/*.ts'],
    ignores: ['src-main/app/ipc-adapter.ts', 'src-main/app/preload.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: rawIpcMessage },
            onlyRunGitUsesSimpleGit,
          ],
        },
      ],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...noNode],
          patterns: [
            {
              regex: '(^|/)src-(main|renderer)(/|$)',
              message: 'src-shared is the contract: it imports no other layer.',
            },
            {
              regex:
                '^(react|react-dom|zustand|better-sqlite3|simple-git|node-llama-cpp|pino|openai|systeminformation)(/|$)',
              message: 'src-shared imports no runtime-specific library.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: mainSideFiles,
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, onlyRunGitUsesSimpleGit], patterns: mainSidePatterns }],
    },
  },
  {
    // The one file that starts git, through simple-git (see src-main/engine/git/README.md).
    files: ['src-main/engine/git/run-git.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: mainSidePatterns }] },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...noNode],
          patterns: [
            {
              regex: '(^|/)src-main(/|$)',
              message: 'The renderer imports only src-shared; it talks to main through the API client.',
            },
          ],
        },
      ],
    },
  },
  // Formatting belongs to Prettier (`prettier --check .` in npm run lint): no stylistic rule may fight it.
  prettierConfig,
);
