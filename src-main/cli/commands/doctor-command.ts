// `nocturnal doctor [--json]`: one line per thing a night needs from this machine (config, git, the
// sandbox, the model, disk space, the home's permissions), each OK, WARN or FAIL with its fix. Exit 1
// when anything FAILs, so a script can gate on it. It opens no engine: it must work where the engine
// would refuse to start.
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { writeJson, writeLine } from '../cli-io';

export function registerDoctorCommand(program: Command, context: () => CliContext): void {
  program
    .command('doctor')
    .description(
      "check this machine for a night: git, the sandbox (runs a command in it), the model, disk space, the home's permissions",
    )
    .option('--json', 'print JSON: {ok, checks: [{id, status, message, fix}]}')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      const [{ runDoctor }, { defaultConfig }, { ConfigError }, { homePaths }, { NocturnalError }] = await Promise.all([
        import('../../engine/setup/doctor'),
        import('../../../src-shared/config/schema'),
        import('../../engine/config/config-error'),
        import('../../engine/config/home'),
        import('../../engine/errors/nocturnal-error'),
      ]);
      const paths = homePaths(ctx.home);
      let config;
      let configCheck;
      try {
        const loaded = ctx.loadConfig();
        config = loaded.config;
        const from =
          loaded.overrides.length > 0
            ? ` and ${loaded.overrides.length} NOCTURNAL_* variable${loaded.overrides.length === 1 ? '' : 's'}`
            : '';
        configCheck = {
          id: 'config' as const,
          status: 'OK' as const,
          message: `${loaded.fileExists ? loaded.file : 'no config.yaml yet (defaults)'}${from}: valid`,
          fix: null,
        };
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        // The other checks still run, against the defaults, and say so through this line.
        config = defaultConfig();
        configCheck = {
          id: 'config' as const,
          status: 'FAIL' as const,
          message: `${error.message.replace(/\n\s*/g, ' ')} (the checks below used the defaults)`,
          fix: 'correct the fields named (nocturnal config validate shows each with its line)',
        };
      }
      const checks = [configCheck, ...(await runDoctor({ paths, config, env: ctx.io.env }))];
      const failed = checks.filter((check) => check.status === 'FAIL');
      if (options.json) {
        writeJson(ctx.io.stdout, { ok: failed.length === 0, checks });
      } else {
        for (const check of checks) {
          writeLine(ctx.io.stdout, `${check.status.padEnd(5)} ${check.id}: ${check.message}`);
          if (check.fix) writeLine(ctx.io.stdout, `      fix: ${check.fix}`);
        }
      }
      if (failed.length > 0)
        throw new NocturnalError('runtime', `doctor: ${failed.map((check) => check.id).join(', ')} failed`);
    });
}
