// Process entry for the `nocturnal` binary: real streams in, exit status out.
// No top-level await: the bundle (scripts/build-cli.ts) is a CommonJS script, which cannot have one.
import { guardClosedPipe } from './closed-pipe';
import { runCli } from './main';

const stdout = guardClosedPipe(process.stdout);
const stderr = guardClosedPipe(process.stderr);
void runCli(process.argv.slice(2), {
  stdout: stdout.stream,
  stderr: stderr.stream,
  env: process.env,
  cwd: process.cwd(),
  interactive: Boolean(process.stdout.isTTY),
  stderrIsTty: Boolean(process.stderr.isTTY),
  stdin: process.stdin,
  stdinIsTty: Boolean(process.stdin.isTTY),
}).then((code) => {
  process.exitCode = code;
});
