import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { renderDefaultConfigYaml } from '../../engine/config/default-config-yaml';
import { homePaths } from '../../engine/config/home';
import { NocturnalError } from '../../engine/errors/nocturnal-error';
import { checkCommandProblems } from '../../engine/workspaces/check-command-validation';
import type { CliContext } from '../cli-context';
import { writeJson, writeLine } from '../cli-io';

export function registerInitCommand(program: Command, context: () => CliContext): void {
  program
    .command('init')
    .description('create the home folder and write a commented default config.yaml (never overwrites)')
    .action(() => {
      const ctx = context();
      const paths = homePaths(ctx.home);
      fs.mkdirSync(paths.home, { recursive: true, mode: 0o700 });
      if (fs.existsSync(paths.config)) {
        writeLine(ctx.io.stdout, `${paths.config} already exists; left unchanged (run \`nocturnal config validate\` to check it)`);
        return;
      }
      const temp = `${paths.config}.${process.pid}.tmp`;
      fs.writeFileSync(temp, renderDefaultConfigYaml(), { mode: 0o600 });
      // link() fails if the file appeared meanwhile: init never overwrites, even in a race.
      try {
        fs.linkSync(temp, paths.config);
      } finally {
        fs.rmSync(temp, { force: true });
      }
      writeLine(ctx.io.stdout, `wrote ${paths.config}`);
      writeLine(ctx.io.stdout, `next: nocturnal workspace add PATH --test "npm test"`);
    });
}

export function registerConfigCommands(program: Command, context: () => CliContext): void {
  const config = program.command('config').description('show, check or locate the configuration');

  config
    .command('show')
    .description('print the effective configuration (file + NOCTURNAL_* overrides + defaults)')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const ctx = context();
      const loaded = ctx.loadConfig();
      if (options.json) {
        writeJson(ctx.io.stdout, loaded.config);
        return;
      }
      writeLine(ctx.io.stdout, `# ${loaded.fileExists ? loaded.file : `${loaded.file} (not created yet: defaults)`}`);
      for (const override of loaded.overrides) writeLine(ctx.io.stdout, `# ${override.path.join('.')} from ${override.variable}`);
      for (const [section, values] of Object.entries(loaded.config)) {
        writeLine(ctx.io.stdout, `${section}:`);
        for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
          writeLine(ctx.io.stdout, `  ${key}: ${JSON.stringify(value)}`);
        }
      }
    });

  config
    .command('validate')
    .description('check config.yaml, the NOCTURNAL_* environment and the registered check commands; exit 2 with every problem if invalid')
    .action(async () => {
      const ctx = context();
      const loaded = ctx.loadConfig();
      // The registered workspaces' check commands, judged under this configuration's
      // safety.blocked_commands: a pattern added by hand must not wait for the night to show.
      if (fs.existsSync(homePaths(ctx.home).database)) {
        const engine = await ctx.openEngine();
        const problems = engine.workspaces.list().flatMap((w) => checkCommandProblems(w.checks, loaded.config.safety.blocked_commands).map((p) => `workspace "${w.name}": ${p}`));
        if (problems.length > 0) throw new NocturnalError('validation', `check commands the command policy refuses:\n  ${problems.join('\n  ')}`);
      }
      writeLine(ctx.io.stdout, `${loaded.fileExists ? loaded.file : 'no config.yaml (defaults)'}: valid`);
    });

  config
    .command('path')
    .description('print the path of config.yaml')
    .action(() => {
      const ctx = context();
      writeLine(ctx.io.stdout, path.resolve(homePaths(ctx.home).config));
    });
}
