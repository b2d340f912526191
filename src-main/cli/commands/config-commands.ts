import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { setConfigValue } from '../../engine/config/config-file';
import { homePaths } from '../../engine/config/home';
import { configLeaves } from '../../engine/config/schema-walk';
import { NocturnalError } from '../../engine/errors/nocturnal-error';
import { checkCommandProblems } from '../../engine/workspaces/check-command-validation';
import type { CliContext } from '../cli-context';
import { writeJson, writeLine } from '../cli-io';

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
      // Each value the environment set is marked on its own line with the variable that set it.
      const fromEnv = new Map(loaded.overrides.map((o) => [o.path.join('.'), o.variable]));
      const print = (values: Record<string, unknown>, path: string[]) => {
        const indent = '  '.repeat(path.length);
        for (const [key, value] of Object.entries(values)) {
          const fieldPath = [...path, key];
          const variable = fromEnv.get(fieldPath.join('.'));
          if (isNestedObject(value, fieldPath)) {
            writeLine(ctx.io.stdout, `${indent}${key}:`);
            print(value, fieldPath);
            continue;
          }
          writeLine(
            ctx.io.stdout,
            `${indent}${key}: ${JSON.stringify(value)}${variable ? `  # from ${variable}` : ''}`,
          );
        }
      };
      print(loaded.config as unknown as Record<string, unknown>, []);
    });

  config
    .command('validate')
    .description(
      'check config.yaml, the NOCTURNAL_* environment and the registered check commands; exit 2 with every problem if invalid',
    )
    .action(async () => {
      const ctx = context();
      const loaded = ctx.loadConfig();
      // The registered workspaces' check commands, judged under this configuration's
      // safety.blocked_commands: a pattern added by hand must not wait for the night to show.
      if (fs.existsSync(homePaths(ctx.home).database)) {
        const engine = await ctx.openEngine();
        const problems = engine.workspaces
          .list()
          .flatMap((w) =>
            checkCommandProblems(w.checks, loaded.config.safety.blocked_commands).map(
              (p) => `workspace "${w.name}": ${p}`,
            ),
          );
        if (problems.length > 0)
          throw new NocturnalError(
            'validation',
            `check commands the command policy refuses:\n  ${problems.join('\n  ')}`,
          );
      }
      writeLine(ctx.io.stdout, `${loaded.fileExists ? loaded.file : 'no config.yaml (defaults)'}: valid`);
    });

  config
    .command('set')
    .description(
      'set one field in config.yaml (comments kept; the whole file is validated first), e.g. `config set scheduler.night_mode true`',
    )
    .argument('<field>', 'dotted field path, e.g. scheduler.start_time')
    .argument('<value>', 'the value, read as YAML: true, 22:30, 0.9, [a, b]')
    .action((field: string, raw: string) => {
      const ctx = context();
      const fieldPath = field.split('.');
      if (fieldPath.length < 2 || fieldPath.some((part) => part === ''))
        throw new NocturnalError(
          'usage',
          `field: expected SECTION.FIELD such as scheduler.night_mode (got "${field}")`,
        );
      const value: unknown = parseYaml(raw);
      setConfigValue(ctx.home, fieldPath, value);
      writeLine(ctx.io.stdout, `${field}: ${JSON.stringify(value)} (written to ${homePaths(ctx.home).config})`);
    });

  config
    .command('path')
    .description('print the path of config.yaml')
    .action(() => {
      const ctx = context();
      writeLine(ctx.io.stdout, path.resolve(homePaths(ctx.home).config));
    });
}

/** A section or nested settings object with fixed keys (quality.weights), printed key by key; records stay whole. */
function isNestedObject(value: unknown, fieldPath: string[]): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return configLeaves().some(
    (leaf) => leaf.path.length > fieldPath.length && fieldPath.every((key, i) => leaf.path[i] === key),
  );
}
