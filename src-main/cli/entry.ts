// Process entry for the `nocturnal` binary: real streams in, exit status out.
import { runCli } from './main';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  interactive: Boolean(process.stdout.isTTY),
  stdin: process.stdin,
  stdinIsTty: Boolean(process.stdin.isTTY),
});
process.exitCode = code;
