// `workspace add` reads every check command with the shell parser and refuses, with exit 2 and the
// option's name, one the command policy would refuse every night — nested scripts included.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempRepo } from '../engine/git/testing/temp-repo';
import type { TempRepo } from '../engine/git/testing/temp-repo';
import { runCliCaptured } from './testing/run-cli-in-process';

let home: string;
let repo: TempRepo;
beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-checks-'));
  repo = await createTempRepo({ files: { 'README.md': '# x\n' } });
});
afterEach(async () => {
  await repo.cleanup();
  fs.rmSync(home, { recursive: true, force: true });
});

const cli = (...argv: string[]) => runCliCaptured(['--home', home, ...argv]);

describe('workspace add validates check commands with a real shell parser', () => {
  it.each([
    ['--test', 'npm test ${X:-$(rm -rf ~)}', 'rm-dangerous-target'],
    ['--test', 'echo $(( $(rm -rf ~) + 1 ))', 'rm-dangerous-target'],
    ['--lint', 'eslint . > >(sudo tee /etc/x)', 'privilege'],
    ['--build', 'cat <<EOF\n$(git stash)\nEOF', 'git-stash'],
    ['--typecheck', 'sh -c "tsc; rm -rf /"', 'rm-dangerous-target'],
    ['--test', 'npm test "unterminated', 'unparsable'],
  ])('%s %j is refused naming the option and the rule %s', async (option, command, rule) => {
    const run = await cli('workspace', 'add', repo.path, option, command);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${option}: ${JSON.stringify(command)} is refused by the command policy (rule ${rule})`,
    );
    const list = await cli('workspace', 'list', '--json');
    expect(list.json()).toEqual([]);
  });

  it('refuses a check that matches safety.blocked_commands', async () => {
    fs.writeFileSync(path.join(home, 'config.yaml'), 'safety:\n  blocked_commands: ["npm publish"]\n');
    const run = await cli('workspace', 'add', repo.path, '--test', 'npm test && npm publish');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('(rule blocked-commands)');
  });

  it('config validate judges registered checks again under the current safety.blocked_commands', async () => {
    expect((await cli('workspace', 'add', repo.path, '--name', 'app', '--test', 'npm test && npm publish')).code).toBe(
      0,
    );
    expect((await cli('config', 'validate')).code).toBe(0);
    fs.writeFileSync(path.join(home, 'config.yaml'), 'safety:\n  blocked_commands: ["npm publish"]\n');
    const run = await cli('config', 'validate');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'workspace "app": --test: "npm test && npm publish" is refused by the command policy (rule blocked-commands)',
    );
  });

  it.each([
    ['--test', 'npm test'],
    ['--test', 'pytest -q'],
    ['--test', 'cargo test && cargo clippy'],
    ['--test', 'make -j2 check'],
    ['--lint', 'npm run lint -- --max-warnings 0 2>&1 | tee lint.log'],
  ])('accepts the ordinary check %s %j', async (option, command) => {
    const run = await cli('workspace', 'add', repo.path, option, command);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const list = await cli('workspace', 'list', '--json');
    expect(list.json<{ checks: Record<string, string> }[]>().map((w) => w.checks)).toEqual([
      { [option.slice(2)]: command },
    ]);
  });
});
