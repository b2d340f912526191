// The `nocturnal` command. Exit status (DESIGN §8): 0 ok; 1 runtime failure; 2 usage or validation
// error, with a message naming the argument or config field and what was expected.
import { Command, CommanderError, Option } from 'commander';
import { productVersion } from '../engine/api/product-version';
import { isUserInputError, NocturnalError } from '../engine/errors/nocturnal-error';
import { createRedactor } from '../engine/log/redact';
import { CliContext } from './cli-context';
import { redactingStream } from './redacting-stream';
import { paint, terminalStyle } from './terminal-style';
import type { CliIo } from './cli-io';
import { writeLine } from './cli-io';
import { registerConfigCommands } from './commands/config-commands';
import { registerInitCommand } from './commands/init-command';
import { registerCommands } from './commands/register';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export async function runCli(argv: readonly string[], rawIo: CliIo): Promise<number> {
  // The configured key joins the redactor once the config is read (CliContext.loadConfig).
  const redactor = createRedactor();
  const io: CliIo = {
    ...rawIo,
    stdout: redactingStream(rawIo.stdout, redactor),
    stderr: redactingStream(rawIo.stderr, redactor),
    unredactedStdout: rawIo.stdout,
  };
  const program = new Command();
  let context: CliContext | undefined;
  const getContext = () => (context ??= new CliContext(io, program, redactor));

  program
    .name('nocturnal')
    .description('Nocturnal Agent: queue coding tasks by day; a local model works them at night on their own branches.')
    .version(productVersion(), '-V, --version', 'print the version')
    .addOption(
      new Option('--home <dir>', 'folder with config, database, logs, worktrees and models').env('NOCTURNAL_HOME'),
    )
    .option('-v, --verbose', 'log debug output to stderr')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  registerInitCommand(program, getContext);
  registerConfigCommands(program, getContext);
  registerCommands(program, getContext);

  // Subcommands inherit exit override and output so that no path calls process.exit.
  const configure = (command: Command) => {
    for (const sub of command.commands) {
      sub.exitOverride().configureOutput({ writeOut: (t) => io.stdout.write(t), writeErr: (t) => io.stderr.write(t) });
      sub.showHelpAfterError('(run with --help for usage)');
      configure(sub);
    }
  };
  configure(program);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    return reportError(error, io, context?.readOnlyReason ?? null);
  } finally {
    await context?.close();
  }
}

function reportError(error: unknown, io: CliIo, readOnlyReason: string | null): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here with exit code 0.
    if (error.exitCode === 0) return EXIT_OK;
    return EXIT_USAGE;
  }
  if (readOnlyReason !== null && isWriteFailure(error)) {
    writeLine(
      io.stderr,
      `nocturnal: this command needs to write in the home, which is read-only: ${readOnlyReason}. Read commands (status, task list, task show, report, workspace list) still work.`,
    );
    return EXIT_FAILURE;
  }
  const message = error instanceof Error ? error.message : String(error);
  writeLine(io.stderr, `${paint(terminalStyle(io.env, io.stderrIsTty ?? false), 'red', 'nocturnal:')} ${message}`);
  if (isUserInputError(error)) return EXIT_USAGE;
  if (!(error instanceof NocturnalError) && error instanceof Error && error.stack && io.env['NOCTURNAL_DEBUG']) {
    writeLine(io.stderr, error.stack);
  }
  return EXIT_FAILURE;
}

/** A failure to write: SQLite refusing a read-only database, or the file system refusing a file. */
function isWriteFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string')
    return code.startsWith('SQLITE_READONLY') || ['EROFS', 'EACCES', 'EPERM'].includes(code);
  // Through the engine API the error crosses as {type, message} (the code stays behind): SQLite's and
  // the file system's own words for the same refusals.
  return (
    error instanceof Error && /attempt to write a readonly database|read-only file system|EROFS/i.test(error.message)
  );
}
