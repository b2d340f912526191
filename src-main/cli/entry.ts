// Process entry for the `nocturnal` binary: real streams in, exit status out.
import { guardClosedPipe } from './closed-pipe';
import { runCli } from './main';

const stdout = guardClosedPipe(process.stdout);
const stderr = guardClosedPipe(process.stderr);
const code = await runCli(process.argv.slice(2), {
  stdout: stdout.stream,
  stderr: stderr.stream,
  env: process.env,
  cwd: process.cwd(),
  interactive: Boolean(process.stdout.isTTY),
  stderrIsTty: Boolean(process.stderr.isTTY),
  stdin: process.stdin,
  stdinIsTty: Boolean(process.stdin.isTTY),
});
process.exitCode = code;
