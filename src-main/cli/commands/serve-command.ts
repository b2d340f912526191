// `nocturnal serve [--port N]` (DESIGN §8b): the engine API, its events and the built renderer over
// loopback HTTP, for a machine without a desktop and for browser tests. The first line with `http://`
// on stdout is the address to open, token included; Ctrl+C stops after the current task.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { CliContext } from '../cli-context';
import { writeLine } from '../cli-io';

export const DEFAULT_SERVE_PORT = 7391;

export function registerServeCommand(program: Command, context: () => CliContext): void {
  program
    .command('serve')
    .description('serve the app and its API on 127.0.0.1 (with a token) for a browser; runs until Ctrl+C')
    .option(
      '--port <n>',
      `TCP port on 127.0.0.1 (0 picks a free one; default ${DEFAULT_SERVE_PORT})`,
      port,
      DEFAULT_SERVE_PORT,
    )
    .action(async (options: { port: number }) => {
      const ctx = context();
      const [{ createServeHost }, { startApiServer }, { describeError }] = await Promise.all([
        import('../../server/serve-host'),
        import('../../server/api-server'),
        import('../../engine/api/describe-error'),
      ]);
      const rendererDir = findRenderer();
      const host = await createServeHost({
        home: ctx.home,
        config: ctx.config,
        env: ctx.io.env,
        cwd: ctx.io.cwd,
        console: { stream: ctx.io.stderr, level: ctx.verbose ? 'debug' : 'warn' },
      });
      let server;
      try {
        server = await startApiServer({
          handlers: host.handlers,
          describeError,
          subscribe: host.subscribe,
          rendererDir,
          port: options.port,
        });
      } catch (error) {
        await host.close();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE')
          throw new InvalidArgumentError(
            `--port: ${options.port} is in use on 127.0.0.1; choose another (or --port 0 for any free one)`,
          );
        throw error;
      }
      // The token is this server's key, printed for the user who started it: the one line not masked.
      writeLine(ctx.io.unredactedStdout ?? ctx.io.stdout, `serving on ${server.url}`);
      writeLine(ctx.io.stdout, `home: ${ctx.home}`);
      if (rendererDir === null)
        writeLine(
          ctx.io.stderr,
          'warning: the window is not built (out/renderer is missing): run `npm run build`; the API works meanwhile',
        );
      writeLine(ctx.io.stdout, 'press Ctrl+C to stop (a running task finishes first)');
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          writeLine(ctx.io.stdout, 'stopping…');
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
      await host.close();
    });
}

function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    throw new InvalidArgumentError(`--port expects a TCP port number 0–65535, got "${value}"`);
  return Number(value);
}

/** out/renderer of the package this code runs from, when it has been built. */
function findRenderer(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      const renderer = path.join(dir, 'out', 'renderer');
      return fs.existsSync(path.join(renderer, 'index.html')) ? renderer : null;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
